package dev.contactfunctions.invocation;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.quarkus.arc.DefaultBean;

/** The clock every time-dependent decision reads, so that tests can move time instead of sleeping. */
public class Clocks {

    @Produces
    @ApplicationScoped
    @DefaultBean
    Clock systemClock() {
        return Clock.systemUTC();
    }
}
