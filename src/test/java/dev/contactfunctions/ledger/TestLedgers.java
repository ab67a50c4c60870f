package dev.contactfunctions.ledger;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/** Ledgers for tests outside this package that need one on their own clock. */
public final class TestLedgers {

    private TestLedgers() {
    }

    /** An in-memory ledger reading {@code clock}: share it between instances as they would share a table. */
    public static Ledger inMemory(Clock clock) {
        return new InMemoryLedger(clock);
    }

    /**
     * Identity claims as deployed ({@code config}'s hold and wait), whose polls for a held claim wait through
     * {@code pollWait} instead of sleeping: for a test whose time is virtual.
     */
    public static IdentityClaims claims(IdentityLedger ledger, LedgerConfig config, Clock clock,
            Consumer<Duration> pollWait) {
        return new IdentityClaims(ledger, config.claimHold(), config.claimWait(), clock, pollWait::accept);
    }
}
