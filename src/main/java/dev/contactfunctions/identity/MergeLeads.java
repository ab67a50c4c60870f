package dev.contactfunctions.identity;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import dev.contactfunctions.intercom.model.Contact;
import dev.contactfunctions.identifiers.Emails;

/**
 * What {@link IdentifyMergeService#mergeLeadsInto} merges: into {@code user}, every lead with the person's email and
 * the lead named by {@code leadId} when it is a lead with that email or none, at most {@code cap} of them.
 *
 * @param user a user as Intercom returns it (with its custom attributes); never a lead
 * @param email the person's email (normalized again here); null when unknown: then only {@code leadId} is
 *        considered, if it has no email
 * @param leadId a lead named by id, merged first when it may be
 * @param cap most leads merged by this call (at least 1); the given lead first, then the oldest
 * @param owner who owns the email's claim while the merge runs: a delivery's ledger key, so that a repeat of a
 *        delivery whose invocation was killed while holding the claim goes on at once
 */
public record MergeLeads(Contact user, String email, Optional<String> leadId, int cap, String owner) {

    /** @throws IllegalArgumentException when {@code user} is not a user or {@code cap} is below 1 */
    public MergeLeads {
        if (user == null || user.id() == null || !user.isUser()) {
            throw new IllegalArgumentException("Leads are merged into a user only");
        }
        if (cap < 1) {
            throw new IllegalArgumentException("The cap on leads per merge must be at least 1, got " + cap);
        }
        Objects.requireNonNull(leadId, "leadId");
        Objects.requireNonNull(owner, "owner");
    }

    /** Every lead with this email, at most {@code cap}, under an owner of its own. */
    public static MergeLeads of(Contact user, String email, int cap) {
        return new MergeLeads(user, email, Optional.empty(), cap, "merge-" + UUID.randomUUID());
    }

    /** The same, with the lead named by this id (when it is a lead with the email or none) merged first. */
    public MergeLeads withLead(String leadId) {
        return new MergeLeads(user, email, Optional.of(leadId), cap, owner);
    }

    /** The same, under this owner of the email's claim. */
    public MergeLeads ownedBy(String owner) {
        return new MergeLeads(user, email, leadId, cap, owner);
    }

    /** The email in normal form; empty when there is none. */
    Optional<String> normalizedEmail() {
        return IdentifyMergeService.normalized(email);
    }
}
