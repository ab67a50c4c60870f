package dev.contactfunctions.ledger;

import java.time.Clock;

/** Ledgers for tests outside this package that need one on their own clock. */
public final class TestLedgers {

    private TestLedgers() {
    }

    /** An in-memory ledger reading {@code clock}: share it between instances as they would share a table. */
    public static Ledger inMemory(Clock clock) {
        return new InMemoryLedger(clock);
    }
}
