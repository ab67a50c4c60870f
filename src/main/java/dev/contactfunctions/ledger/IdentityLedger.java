package dev.contactfunctions.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.contactfunctions.identifiers.Pseudonyms;

/**
 * A strongly consistent record of identity -> Intercom contact id, kept well past Intercom's search lag, so that
 * repeated or concurrent deliveries for the same person find the contact that search cannot show yet.
 * Identities are namespaced pseudonyms, never the identifier in clear: {@code email:<keyed hash of the normalized
 * email>} or {@code external_id:<keyed hash of the id>} ({@link Pseudonyms}), so that the table holds no address.
 * The local run and single-instance tests use {@link InMemoryLedger}; deployed functions use {@link DynamoDbLedger}.
 *
 * <p><strong>The rule for a person across functions.</strong> Every write to a person's identity record (remember,
 * forget, an intent, an email change) is made by the one delivery that holds the identity's claim, as a write
 * conditional on that claim; there is no blind write. Every delivery that writes to a person's contact at Intercom
 * holds the claim of the identity it found the contact by, from before it reads the contact until its write is
 * done: lead capture holds the {@code email:} identity; identify holds {@code external_id:} while it finds or creates
 * the user, then the {@code email:} identity of the email the event names and, when the user's email changes, of the
 * old email too, while it copies, merges and changes the email. A delivery that finds the claim held waits briefly
 * ({@link IdentityClaims}) and is otherwise deferred to the queue, so that it is applied later to whatever contact
 * the holder left, never to a lead being merged. Claims are idempotency records (a conditional write wins where no
 * live holder is), not a lock service: a holder that dies leaves a claim that expires after its hold, which is
 * chosen longer than an invocation can run.
 *
 * <p>A create is written ahead ({@link #intendCreate}) before it is sent. When its outcome stays unknown (a timeout
 * or a 5xx: Intercom may have created the contact all the same, and search will not show it for minutes), the
 * holder {@link #release}s the claim and the record stays <em>unsettled</em>; a holder that dies mid-create leaves the
 * same. The next claim of the identity is then won with {@link Claim.Won#unsettledCreateSince()}, and that caller must
 * settle it (search; remember what it finds, or wait until the create can be taken to have failed) before it may
 * create anything. A merge is written ahead the same way ({@link #intendMerge}): the record names the user from then
 * on, with the lead being merged into it, so that whoever claims the identity next goes to the user whether or not
 * the merge's answer arrived, and a 404 for that lead means it was merged.
 */
public interface IdentityLedger {

    /** The contact remembered for an identity (read only); empty while none is, or while a claim is still pending. */
    Optional<String> contactFor(String identity);

    /**
     * Claims an identity for {@code hold}: won when no live holder has it (no record, an expired one, an unsettled
     * one, a remembered contact nobody holds, a claim whose hold ran out, or a claim of the same {@code owner}: a retry
     * of the same delivery); otherwise held. A claim won over a record that carries a create intent says since when
     * ({@link Claim.Won#unsettledCreateSince()}) and keeps the intent; one won over a remembered contact names it (and
     * a merge intent, if any). Choose a hold longer than one invocation can run, so that a live holder never loses it.
     */
    Claim claim(String identity, String owner, Duration hold);

    /**
     * Records the contact of an identity while {@code owner} holds its claim (dropping any create or merge intent);
     * the claim stays owner's until it {@link #release}s it, so that its writes to the contact are done under it.
     * Answers false, writing nothing, when the claim is not (or no longer) owner's.
     */
    boolean remember(String identity, String owner, String contactId);

    /**
     * Gives up owner's claim, so that the next delivery need not wait for the hold to expire. A remembered contact
     * and a merge intent stay; a create intent stays too (the identity is then unsettled); a claim with neither is
     * dropped. Does nothing if the claim is not (or no longer) owner's.
     */
    void release(String identity, String owner);

    /**
     * Drops the record of an identity while {@code owner} holds its claim: its create intent (the create certainly
     * wrote nothing: refused with a 4xx, or never sent) or its contact (it no longer has this identity). Does nothing
     * if the claim is not (or no longer) owner's.
     */
    void forget(String identity, String owner);

    /**
     * Records, while {@code owner} still holds its claim, that a create for the identity is sent from {@code since}
     * on (replacing an older intent, and any contact remembered before: it turned out gone), and holds the claim for
     * {@code hold} from now. Answers false when the claim is no longer owner's: then nothing may be created.
     */
    boolean intendCreate(String identity, String owner, Instant since, Duration hold);

    /**
     * Records, while {@code owner} still holds its claim, that lead {@code leadId} is being merged into user
     * {@code userId}: the identity names the user from now on, whatever becomes of the merge's answer. Holds the claim
     * for {@code hold} from now, and drops a create intent (only a holder that has settled it may merge). Answers false
     * when the claim is no longer owner's: then nothing may be merged.
     */
    boolean intendMerge(String identity, String owner, String leadId, String userId, Duration hold);

    static String email(Pseudonyms pseudonyms, String normalizedEmail) {
        return "email:" + pseudonyms.email(normalizedEmail);
    }

    static String externalId(Pseudonyms pseudonyms, String externalId) {
        return "external_id:" + pseudonyms.externalId(externalId);
    }
}
