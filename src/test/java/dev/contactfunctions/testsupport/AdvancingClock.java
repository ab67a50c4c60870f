package dev.contactfunctions.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.contactfunctions.sandbox.MutableClock;

/**
 * The application's clock as a {@linkplain MutableClock#ticking() ticking MutableClock} that a test moves forward by
 * minutes instead of waiting them: enable it in the profile's {@code getEnabledAlternatives()}.
 */
@Alternative
@Singleton
public class AdvancingClock {

    private final MutableClock clock = MutableClock.ticking();

    @Produces
    @Alternative
    @Singleton
    Clock clock() {
        return clock;
    }

    public void advance(Duration duration) {
        clock.advance(duration);
    }

    public Instant instant() {
        return clock.instant();
    }
}
