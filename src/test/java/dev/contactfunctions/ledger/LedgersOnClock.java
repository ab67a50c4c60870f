package dev.contactfunctions.ledger;

import java.time.Clock;

/** Ledgers for tests outside this package that drive time themselves (a {@code MutableClock}). */
public final class LedgersOnClock {

    private LedgersOnClock() {
    }

    /** An in-memory ledger whose holds and expiries follow {@code clock}. */
    public static Ledger inMemory(Clock clock) {
        return new InMemoryLedger(clock);
    }
}
