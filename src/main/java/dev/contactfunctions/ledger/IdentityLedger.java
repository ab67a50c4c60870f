package dev.contactfunctions.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.contactfunctions.support.Pseudonyms;

/**
 * A strongly consistent record of identity -> Intercom contact id, kept well past Intercom's search lag, so that
 * repeated or concurrent deliveries for the same person find the contact that search cannot show yet.
 * Identities are namespaced pseudonyms, never the identifier in clear: {@code email:<keyed hash of the normalized
 * email>} or {@code external_id:<keyed hash of the id>} ({@link Pseudonyms}), so that the table holds no address.
 * The local run and single-instance tests use {@link InMemoryLedger}; deployed functions use {@link DynamoDbLedger}.
 *
 * <p>Concurrent deliveries for one person serialise on an idempotency record, not a lock service:
 * {@link #claim} writes a pending record only where none is live, so exactly one caller wins; it then finds or
 * creates the contact and {@link #remember}s it, and every other caller reads that contact. A holder that dies
 * leaves a pending record that expires after its hold and can then be claimed again.
 *
 * <p>A create is written ahead ({@link #intendCreate}) before it is sent. When its outcome stays unknown (a timeout
 * or a 5xx: Intercom may have created the contact all the same, and search will not show it for minutes), the
 * holder {@link #release}s the claim and the record stays <em>unsettled</em>; a holder that dies mid-create leaves the
 * same. The next claim of the identity is then won with {@link Claim.Won#unsettledCreateSince()}, and that caller must
 * settle it (search; remember what it finds, or wait until the create can be taken to have failed) before it may
 * create anything.
 */
public interface IdentityLedger {

    /** The contact remembered for an identity; empty while none is, or while a claim is still pending. */
    Optional<String> contactFor(String identity);

    /** Records (or replaces) the contact of an identity, completing any pending claim on it. */
    void remember(String identity, String contactId);

    /** Drops an identity whose contact turned out to be gone (merged away or deleted). */
    void forget(String identity);

    /**
     * Drops an identity only while it still names {@code contactId}: of two deliveries that both found the remembered
     * contact gone, the second must not drop the claim the first has taken since (both would then create a contact).
     */
    void forget(String identity, String contactId);

    /**
     * Claims an identity for {@code hold}: won when nothing live is recorded for it (no record, an expired one, an
     * unsettled one, a pending claim whose hold ran out, or a pending claim of the same {@code owner}: a retry of the
     * same delivery); otherwise held, with the remembered contact if there is one. A claim won over a record that
     * carries a create intent says since when ({@link Claim.Won#unsettledCreateSince()}), and keeps the intent. Choose
     * a hold longer than one invocation can run, so that a live holder never loses it.
     */
    Claim claim(String identity, String owner, Duration hold);

    /**
     * Gives up a pending claim of {@code owner} without a contact (for example when the delivery is deferred), so that
     * the next delivery need not wait for the hold to expire. A create intent on it stays: the identity is then
     * unsettled. Does nothing if the claim is not (or no longer) owner's.
     */
    void release(String identity, String owner);

    /**
     * Records, while {@code owner} still holds its claim, that a create for the identity is sent from {@code since}
     * on (replacing an older intent), and holds the claim for {@code hold} from now. Answers false when the claim is
     * no longer owner's: then nothing may be created.
     */
    boolean intendCreate(String identity, String owner, Instant since, Duration hold);

    /**
     * Gives up owner's claim together with its create intent: the create certainly wrote nothing (refused with a
     * 4xx, or never sent). Does nothing if the claim is not (or no longer) owner's.
     */
    void abandonCreate(String identity, String owner);

    static String email(Pseudonyms pseudonyms, String normalizedEmail) {
        return "email:" + pseudonyms.email(normalizedEmail);
    }

    static String externalId(Pseudonyms pseudonyms, String externalId) {
        return "external_id:" + pseudonyms.externalId(externalId);
    }
}
