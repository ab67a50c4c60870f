package dev.contactfunctions.testsupport;

import java.util.Map;

import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.MutableClock;
import dev.contactfunctions.sandbox.SandboxOptions;

/**
 * Like {@link IntercomSandboxResource}, with a sandbox that runs on a {@link MutableClock} (its {@code clock()}), so
 * that a test moves search lag and late writes forward instead of waiting: for tests that build their function
 * instances by hand on that same clock.
 */
public class MutableClockSandboxResource extends IntercomSandboxResource {

    @Override
    public Map<String, String> start() {
        return start(IntercomSandbox.start(SandboxOptions.builder().clock(MutableClock.startingNow()).build()));
    }
}
