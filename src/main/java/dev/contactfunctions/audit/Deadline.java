package dev.contactfunctions.audit;

import java.time.Clock;
import java.time.Instant;

/** When an invocation must stop working and save its progress. */
@FunctionalInterface
public interface Deadline {

    boolean reached();

    /** Reached at {@code stopAt} on this clock. */
    static Deadline at(Clock clock, Instant stopAt) {
        return () -> !clock.instant().isBefore(stopAt);
    }

    static Deadline never() {
        return () -> false;
    }
}
