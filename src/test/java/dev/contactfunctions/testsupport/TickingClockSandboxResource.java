package dev.contactfunctions.testsupport;

import java.util.Map;

import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.MutableClock;
import dev.contactfunctions.sandbox.SandboxOptions;

/**
 * Like {@link IntercomSandboxResource}, with a sandbox on a {@linkplain MutableClock#ticking() ticking MutableClock}
 * (its {@code clock()}): it moves with real time, so that code waiting in real time sees time pass, and jumps when a
 * test advances it by a queue delay or a search lag. For tests that build their function instances by hand on that
 * same clock.
 */
public class TickingClockSandboxResource extends IntercomSandboxResource {

    @Override
    public Map<String, String> start() {
        return start(IntercomSandbox.start(SandboxOptions.builder().clock(MutableClock.ticking()).build()));
    }
}
