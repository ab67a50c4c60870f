package dev.contactfunctions.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The identities of one person that one delivery holds ({@link IdentityClaims#hold}), and the only way the delivery
 * writes their records: each write is conditional on the delivery's claim ({@link IdentityLedger}, the rule for a
 * person across functions), so that a delivery whose hold ran out and was taken over writes nothing. Closing releases
 * every claim, keeping what the delivery remembered; use it in a try-with-resources around everything the delivery
 * writes to the person's contact.
 */
public final class HeldIdentities implements AutoCloseable {

    private final IdentityLedger ledger;
    private final String owner;
    private final Duration hold;
    private final Map<String, Claim.Won> claims;

    HeldIdentities(IdentityLedger ledger, String owner, Duration hold, Map<String, Claim.Won> claims) {
        this.ledger = ledger;
        this.owner = owner;
        this.hold = hold;
        this.claims = new LinkedHashMap<>(claims);
    }

    /** What the ledger said when {@code identity} was claimed: its contact, unsettled create and merge intent. */
    public Claim.Won claim(String identity) {
        Claim.Won claim = claims.get(identity);
        if (claim == null) {
            throw new IllegalArgumentException("the identity " + identity + " is not held by " + owner);
        }
        return claim;
    }

    /** Records the identity's contact; false when the claim was lost (its hold ran out and another took it over). */
    public boolean remember(String identity, String contactId) {
        return ledger.remember(held(identity), owner, contactId);
    }

    /** Drops the identity's record: its contact no longer has it, or a create certainly wrote nothing. */
    public void forget(String identity) {
        ledger.forget(held(identity), owner);
    }

    /** Writes a create ahead; false when the claim was lost: then nothing may be created. */
    public boolean intendCreate(String identity, Instant since) {
        return ledger.intendCreate(held(identity), owner, since, hold);
    }

    /** Writes a merge of {@code leadId} into {@code userId} ahead; false when the claim was lost. */
    public boolean intendMerge(String identity, String leadId, String userId) {
        return ledger.intendMerge(held(identity), owner, leadId, userId, hold);
    }

    /** Releases every claim (a remembered contact and any intent stay). */
    @Override
    public void close() {
        claims.keySet().forEach(identity -> ledger.release(identity, owner));
    }

    private String held(String identity) {
        claim(identity);
        return identity;
    }
}
