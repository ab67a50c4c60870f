package dev.contactfunctions.testsupport;

import java.time.Duration;
import java.util.UUID;

import dev.contactfunctions.ledger.Claim;
import dev.contactfunctions.ledger.IdentityLedger;

/**
 * What an earlier delivery left in the identity ledger, written the only way the ledger allows: under a claim
 * (claim, remember or forget, release), as a delivery that has finished would have.
 */
public final class LedgerSeeds {

    private static final Duration HOLD = Duration.ofSeconds(30);

    private LedgerSeeds() {
    }

    /** The identity names {@code contactId}, and nobody holds it. */
    public static void remembered(IdentityLedger ledger, String identity, String contactId) {
        String seeder = "seed-" + UUID.randomUUID();
        if (!(ledger.claim(identity, seeder, HOLD) instanceof Claim.Won)) {
            throw new IllegalStateException("a delivery still holds " + identity);
        }
        ledger.remember(identity, seeder, contactId);
        ledger.release(identity, seeder);
    }

    /** Nothing is recorded for the identity (it must not be held). */
    public static void forgotten(IdentityLedger ledger, String identity) {
        String seeder = "seed-" + UUID.randomUUID();
        if (!(ledger.claim(identity, seeder, HOLD) instanceof Claim.Won)) {
            throw new IllegalStateException("a delivery still holds " + identity);
        }
        ledger.forget(identity, seeder);
    }
}
