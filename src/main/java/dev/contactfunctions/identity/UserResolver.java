package dev.contactfunctions.identity;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.contactfunctions.intercom.CallBudget;
import dev.contactfunctions.intercom.IntercomClient;
import dev.contactfunctions.intercom.IntercomException;
import dev.contactfunctions.intercom.model.Contact;
import dev.contactfunctions.intercom.model.ContactRequest;
import dev.contactfunctions.intercom.search.SearchFilter;
import dev.contactfunctions.intercom.search.SearchQuery;
import dev.contactfunctions.ledger.HeldIdentities;
import dev.contactfunctions.ledger.IdentityClaims;
import dev.contactfunctions.ledger.IdentityLedger;
import dev.contactfunctions.identifiers.Emails;
import dev.contactfunctions.identifiers.Pseudonyms;
import dev.contactfunctions.webhook.WebhookException;

/**
 * The user of an identify event: found by {@code external_id}, else by email among users, else created; and, after
 * the merges, updated with the event's own fields. See {@link IdentifyMergeService} for why a user is never created
 * twice.
 */
final class UserResolver {

    private final IntercomClient intercom;
    private final IdentityClaims claims;
    private final CallBudget budget;
    private final Pseudonyms pseudonyms;

    UserResolver(IntercomClient intercom, IdentityClaims claims, CallBudget budget, Pseudonyms pseudonyms) {
        this.intercom = intercom;
        this.claims = claims;
        this.budget = budget;
        this.pseudonyms = pseudonyms;
    }

    /**
     * @param sameEmail the contacts of the person's email that the sign-up's search found (its leads among them),
     *        so that the merge need not search again; empty when the user was found by {@code external_id}
     */
    record ResolvedUser(Contact user, boolean created, Optional<List<Contact>> sameEmail) {

        ResolvedUser(Contact user, boolean created) {
            this(user, created, Optional.empty());
        }
    }

    /**
     * Under the {@code external_id:} claim: the one delivery that holds it finds or creates the user and remembers it;
     * one that finds the claim still held after the wait is deferred.
     */
    ResolvedUser findOrCreate(IdentifyRequest request, Optional<RequestedLead> requested, String owner) {
        String identity = IdentityLedger.externalId(pseudonyms, request.externalId());
        try (HeldIdentities held = claims.hold(owner, budget.remaining(), identity)) {
            ResolvedUser resolved = findOrCreate(request, requested);
            held.remember(identity, resolved.user().id());
            return resolved;
        }
    }

    /** The user, found or created; a {@code lead_id} of another person is refused before anything is written. */
    private ResolvedUser findOrCreate(IdentifyRequest request, Optional<RequestedLead> requested) {
        Optional<Contact> byExternalId = findUserByExternalId(request.externalId());
        if (byExternalId.isPresent()) {
            Contact user = byExternalId.get();
            requireLeadOfPerson(requested, user.id(),
                    request.email() != null ? request.email() : Emails.normalize(user.email()));
            return new ResolvedUser(user, false);
        }
        if (request.email() == null) {
            requireLeadOfPerson(requested, null, null);
            return create(request, Optional.empty());
        }
        // one search of the email, whatever the role: the user it may adopt and the leads the merge needs
        List<Contact> sameEmail = intercom.search(SearchQuery.of(SearchFilter.field("email").eq(request.email())))
                .stream().toList();
        Optional<Contact> byEmail = unclaimedUserByEmail(sameEmail, request.email(), request.externalId());
        requireLeadOfPerson(requested, byEmail.map(Contact::id).orElse(null), request.email());
        if (byEmail.isPresent()) {
            return new ResolvedUser(byEmail.get(), false, Optional.of(sameEmail));
        }
        return create(request, Optional.of(sameEmail));
    }

    /**
     * A {@code lead_id} is honoured only for a lead of this person: one whose email is theirs, or that has none (a
     * Messenger visitor who never gave one). An application that forwards a browser's Messenger id would otherwise let
     * one person pull another visitor's lead, conversations included, into their account. Read by id, not taken from
     * search, which may show an email from before the last change.
     *
     * @param userId the user found, or null when it is about to be created
     * @param personEmail the email the user has after this event (normalized), or null when it has none
     */
    private void requireLeadOfPerson(Optional<RequestedLead> requested, String userId, String personEmail) {
        Optional<Contact> foreign = requested.filter(lead -> !lead.id().equals(userId))
                .flatMap(RequestedLead::contact)
                .filter(lead -> lead.isLead() && !RequestedLead.isLeadOf(lead, personEmail));
        if (foreign.isPresent()) {
            throw new WebhookException(422, "lead_email_mismatch", "lead_id names a lead whose email is not this"
                    + " person's: it is not merged, and nothing was written", "lead_id");
        }
    }

    private Optional<Contact> findUserByExternalId(String externalId) {
        try {
            return intercom.findUserByExternalId(externalId).filter(Contact::isUser);
        } catch (IntercomException.Gone e) {
            // merged away (API 2.16+): the create below answers 409 with the contact that holds the identity now
            return Optional.empty();
        }
    }

    /**
     * A user with this email that no other external_id claims: two users may share an email when their external
     * ids differ, and we must not take over someone else's user. The oldest wins when there are several.
     */
    private static Optional<Contact> unclaimedUserByEmail(List<Contact> sameEmail, String email, String externalId) {
        return sameEmail.stream()
                .filter(Contact::isUser)
                .filter(c -> email.equals(Emails.normalize(c.email())))
                .filter(c -> c.externalId() == null || c.externalId().equals(externalId))
                .min(AttributeCarryOver.OLDEST_FIRST);
    }

    private ResolvedUser create(IdentifyRequest request, Optional<List<Contact>> sameEmail) {
        ContactRequest body = ContactRequest.builder()
                .role(Contact.ROLE_USER)
                .externalId(request.externalId())
                .email(request.email())
                .name(request.name())
                .phone(request.phone())
                .signedUpAt(request.signedUpAt())
                .customAttributes(request.customAttributes())
                .build();
        try {
            return new ResolvedUser(intercom.createContact(body), true, sameEmail);
        } catch (IntercomException.Conflict conflict) {
            return new ResolvedUser(conflictingUser(conflict, request.externalId()), false, sameEmail);
        }
    }

    /** A 409 is the answer, not an error: the contact it names is the user (unarchived first if archived). */
    private Contact conflictingUser(IntercomException.Conflict conflict, String externalId) {
        String id = conflict.existingContactId().orElseThrow(() -> new IdentityConflictException("identity_conflict",
                "Intercom refused to create the user (409) without naming the existing contact", false));
        if (conflict.archived()) {
            intercom.unarchiveContact(id);
        }
        Contact existing = intercom.findContact(id).orElseThrow(() -> new IdentityConflictException(
                "identity_conflict", "Intercom named contact " + id + " in its 409, but it cannot be read", true));
        if (!existing.isUser()) {
            throw new IdentityConflictException("identity_conflict",
                    "The contact Intercom named in its 409 (" + id + ") is a " + existing.role() + ", not a user", false);
        }
        if (existing.externalId() != null && !existing.externalId().equals(externalId)) {
            throw new IdentityConflictException("identity_conflict", "The user Intercom named in its 409 (" + id
                    + ") belongs to another external_id", false);
        }
        return existing;
    }

    /** The event's own fields and attributes, written after the merges so that they win; only what differs. */
    Contact applyEventAttributes(Contact user, IdentifyRequest request) {
        ContactRequest.Builder update = ContactRequest.builder();
        boolean changed = false;
        if (!request.externalId().equals(user.externalId())) {
            update.externalId(request.externalId());
            changed = true;
        }
        if (request.email() != null && !request.email().equals(Emails.normalize(user.email()))) {
            update.email(request.email());
            changed = true;
        }
        if (request.name() != null && !request.name().equals(user.name())) {
            update.name(request.name());
            changed = true;
        }
        if (request.phone() != null && !request.phone().equals(user.phone())) {
            update.phone(request.phone());
            changed = true;
        }
        if (request.signedUpAt() != null && !request.signedUpAt().equals(user.signedUpAt())) {
            update.signedUpAt(request.signedUpAt());
            changed = true;
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        request.customAttributes().forEach((key, value) -> {
            if (!Contact.sameAttributeValue(user.customAttributesOrEmpty().get(key), value)) {
                attributes.put(key, value);
            }
        });
        if (!attributes.isEmpty()) {
            update.customAttributes(attributes);
            changed = true;
        }
        return changed ? IdentifyMergeService.orElse(intercom.updateContact(user.id(), update.build()), user) : user;
    }
}
