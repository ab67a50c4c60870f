package dev.contactfunctions.leadcapture;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import dev.contactfunctions.intercom.CallBudget;
import dev.contactfunctions.intercom.IntercomClient;
import dev.contactfunctions.intercom.IntercomException;
import dev.contactfunctions.intercom.model.Contact;
import dev.contactfunctions.intercom.model.ContactRequest;
import dev.contactfunctions.intercom.model.Tag;
import dev.contactfunctions.intercom.search.SearchFilter;
import dev.contactfunctions.intercom.search.SearchQuery;
import dev.contactfunctions.ledger.Claim;
import dev.contactfunctions.ledger.HeldIdentities;
import dev.contactfunctions.ledger.IdentityBusyException;
import dev.contactfunctions.ledger.IdentityClaims;
import dev.contactfunctions.ledger.IdentityLedger;
import dev.contactfunctions.ledger.LedgerConfig;
import dev.contactfunctions.identifiers.Pseudonyms;
import dev.contactfunctions.identifiers.Emails;
import dev.contactfunctions.webhook.WebhookException;

/**
 * Turns a validated lead into exactly one Intercom contact (design.md, dedupe rules), across concurrent deliveries on
 * any number of instances:
 * <ol>
 * <li>custom attributes are made to exist (or the delivery is refused) before anything is written;</li>
 * <li>the person's identity ({@code email:<address>}) is claimed in the identity ledger ({@link IdentityClaims}, a
 * conditional write in DynamoDB) and held until the delivery's writes are done, so that no identify merges the
 * person's lead meanwhile ({@link IdentityLedger}, the rule for a person across functions). A remembered contact (one
 * created seconds ago that search cannot show yet, or the user a lead is being merged into) is read by its id.
 * Otherwise the delivery searches {@code email = x} (users and leads together: a user wins, a customer filling a form
 * is not a new lead, else the most recently updated lead), creates a lead if there is none (a 409 names the contact
 * to update instead, unarchived first if archived) and remembers the contact; every other delivery of that person
 * waits for the claim, and is deferred ({@link IdentityBusyException}) if it does not come in time;</li>
 * <li>a create is written ahead in the ledger before it is sent. If its outcome is unknown (a timeout or a 5xx: the
 * lead may exist, and search hides it for minutes), the identity stays unsettled, and whoever claims it next searches
 * once: found, that lead is the person's; not found within the settle horizon ({@code ledger.create-settle}) after
 * the create, the delivery is deferred until then ({@link IdentityBusyException} with a not-before) instead of
 * creating a second lead; not found after it, the create is taken to have failed and the lead is created;</li>
 * <li>the contact gets a partial update of what changed and the form may change ({@link FormPolicy}: a user's own
 * values are only filled in; nothing changed: no call), then the tags it lacks, created when missing.</li>
 * </ol>
 * Calls for a new lead on a warm instance: search, create, one per tag (+1 per attribute or tag that has to be
 * created); for a known person: search (or a read by the remembered id), an update when something changed, one per tag
 * not on the contact yet.
 */
@ApplicationScoped
public class LeadCaptureService {

    private final IntercomClient intercom;
    private final CustomAttributeCatalog attributes;
    private final TagCatalog tags;
    private final IdentityClaims claims;
    private final CallBudget budget;
    private final Duration createSettle;
    private final Clock clock;
    private final Pseudonyms pseudonyms;
    private final FormPolicy policy;

    LeadCaptureService(IntercomClient intercom, CustomAttributeCatalog attributes, TagCatalog tags,
            IdentityClaims claims, CallBudget budget, LedgerConfig ledger, Clock clock,
            Pseudonyms pseudonyms, FormPolicy policy) {
        this.pseudonyms = pseudonyms;
        this.policy = policy;
        this.intercom = intercom;
        this.attributes = attributes;
        this.tags = tags;
        this.claims = claims;
        this.budget = budget;
        this.createSettle = ledger.createSettle();
        this.clock = clock;
    }

    /**
     * Captures one delivery, admitted by {@link FormPolicy#admit} (its attributes and tags are ones a form may write,
     * so only those are ever created in the workspace); {@code deliveryId} owns the identity claim while it runs (a retry of the same delivery may
     * take its own claim again). Throws {@link WebhookException} for refusals (nothing written),
     * {@link IntercomException} when Intercom failed and {@link IdentityBusyException} when another delivery of the
     * person did not finish in time; a retry of the same delivery is always safe.
     */
    public LeadOutcome capture(LeadSubmission lead, String deliveryId) {
        Map<String, Object> wanted = attributes.prepare(attributeValues(lead));
        String identity = IdentityLedger.email(pseudonyms, lead.email());
        // the whole delivery runs under the claim: no identify merges this person's lead, and no other form writes to
        // it, until the claim is released (a create intent stays: the identity is then unsettled)
        try (HeldIdentities held = claims.hold(deliveryId, budget.remaining(), identity)) {
            Claim.Won claim = held.claim(identity);
            Optional<Contact> remembered = claim.contactId().flatMap(id -> readRemembered(id, lead.email()));
            if (remembered.isPresent()) {
                Contact contact = remembered.get();
                if (!contact.id().equals(claim.contactId().get())) {
                    held.remember(identity, contact.id()); // the user a merged lead went into
                }
                return write(contact, lead, wanted, LeadOutcome.Outcome.updated);
            }
            // none, or merged away, deleted, or its email changed: search decides
            return findOrCreate(lead, wanted, held, identity, claim.unsettledCreateSince());
        }
    }

    /**
     * With the identity claimed: search, else create; the contact is remembered as soon as it is known. An unsettled
     * create ({@code unsettledSince}) that search does not show blocks a new create until the settle horizon.
     */
    private LeadOutcome findOrCreate(LeadSubmission lead, Map<String, Object> wanted, HeldIdentities held,
            String identity, Optional<Instant> unsettledSince) {
        Contact contact;
        LeadOutcome.Outcome outcome;
        Optional<Contact> found = search(lead.email());
        if (found.isPresent()) {
            contact = found.get();
            outcome = LeadOutcome.Outcome.updated;
        } else {
            Optional<Instant> settlesAt = unsettledSince.map(since -> since.plus(createSettle))
                    .filter(clock.instant()::isBefore);
            if (settlesAt.isPresent()) {
                // an earlier create may have landed where search cannot show it yet: wait, never create twice
                throw new IdentityBusyException(identity, settlesAt.get());
            }
            try {
                contact = createWrittenAhead(lead, wanted, held, identity);
                outcome = LeadOutcome.Outcome.created;
            } catch (IntercomException.Conflict conflict) {
                contact = reopenConflicting(conflict);
                outcome = LeadOutcome.Outcome.updated;
            }
        }
        held.remember(identity, contact.id());
        return outcome == LeadOutcome.Outcome.created ? finish(contact, lead, outcome)
                : write(contact, lead, wanted, outcome);
    }

    /**
     * Records the intent, then creates. A failure that proves nothing was written drops the intent; one whose
     * outcome is unknown keeps it, so that the identity is unsettled for whoever claims it next.
     */
    private Contact createWrittenAhead(LeadSubmission lead, Map<String, Object> wanted, HeldIdentities held,
            String identity) {
        if (!held.intendCreate(identity, clock.instant())) {
            throw new IdentityBusyException(identity); // the claim ran out: someone else may be creating now
        }
        try {
            return create(lead, wanted);
        } catch (IntercomException e) {
            if (!e.mayHaveWritten() && !(e instanceof IntercomException.Conflict)) {
                held.forget(identity);
            }
            throw e;
        }
    }

    private LeadOutcome write(Contact contact, LeadSubmission lead, Map<String, Object> wanted,
            LeadOutcome.Outcome outcome) {
        return finish(update(contact, lead, wanted), lead, outcome);
    }

    private LeadOutcome finish(Contact contact, LeadSubmission lead, LeadOutcome.Outcome outcome) {
        attachTags(contact, lead);
        return new LeadOutcome(contact.id(), contact.role(), outcome, false);
    }

    // ---- finding the person

    /** The remembered contact, if it still exists with this email (a merged lead leads to the user it went into). */
    private Optional<Contact> readRemembered(String contactId, String email) {
        Optional<Contact> contact;
        try {
            contact = intercom.findContact(contactId);
        } catch (IntercomException.Gone merged) {
            contact = merged.canonicalContactId().flatMap(intercom::findContact);
        }
        return contact.filter(c -> email.equals(Emails.normalize(c.email())));
    }

    /** One search for users and leads with this email: a user first, else the most recently updated lead. */
    private Optional<Contact> search(String email) {
        SearchQuery query = SearchQuery.of(SearchFilter.field("email").eq(email));
        Comparator<Contact> preference = Comparator.comparing((Contact c) -> c.isUser())
                .thenComparing(c -> c.updatedAt() == null ? 0L : c.updatedAt());
        return intercom.search(query, IntercomClient.MAX_PER_PAGE).stream()
                .filter(c -> c.id() != null && email.equals(Emails.normalize(c.email())))
                .filter(c -> c.isUser() || c.isLead())
                .max(preference);
    }

    // ---- writing

    /** Creates the lead (every first-touch value included); a 409 reaches the caller. */
    private Contact create(LeadSubmission lead, Map<String, Object> wanted) {
        ContactRequest request = ContactRequest.builder().role(Contact.ROLE_LEAD).email(lead.email())
                .name(lead.name()).phone(lead.phone()).customAttributes(wanted).build();
        return writeWithFreshAttributes(request, r -> intercom.createContact(r));
    }

    /** The contact a 409 named, unarchived if needed and read back (its attributes decide the first-touch values). */
    private Contact reopenConflicting(IntercomException.Conflict conflict) {
        String id = conflict.existingContactId().orElseThrow(() -> conflict);
        if (conflict.archived()) {
            intercom.unarchiveContact(id);
        }
        return intercom.findContact(id).orElseThrow(() -> new IntercomException.NotFound("not_found",
                "The contact named by Intercom's 409 could not be read", null));
    }

    /** A partial update of what the form may change and differs ({@link FormPolicy}); no call at all when nothing. */
    private Contact update(Contact contact, LeadSubmission lead, Map<String, Object> wanted) {
        Optional<ContactRequest> request = policy.update(contact, lead, wanted);
        return request.isEmpty() ? contact
                : writeWithFreshAttributes(request.get(), r -> intercom.updateContact(contact.id(), r));
    }

    /**
     * Runs a write; when Intercom says a custom attribute we believed in does not exist (deleted since the list was
     * cached), re-reads the attributes, creates the missing ones and writes once more.
     */
    private Contact writeWithFreshAttributes(ContactRequest request, Function<ContactRequest, Contact> write) {
        try {
            return write.apply(request);
        } catch (IntercomException.InvalidRequest e) {
            if (e.unknownCustomAttribute().isEmpty() || request.customAttributes() == null) {
                throw e;
            }
            attributes.invalidate();
            Map<String, Object> recreated = attributes.prepare(request.customAttributes());
            ContactRequest again = new ContactRequest(request.role(), request.externalId(), request.email(),
                    request.phone(), request.name(), request.signedUpAt(), recreated);
            return write.apply(again);
        }
    }

    private void attachTags(Contact contact, LeadSubmission lead) {
        if (lead.tags().isEmpty()) {
            return;
        }
        Set<String> onContact = contact.tagRefs().stream().map(Contact.TagRef::id).filter(Objects::nonNull)
                .collect(Collectors.toSet());
        for (String name : lead.tags()) {
            Tag tag = tags.resolve(name);
            if (onContact.contains(tag.id())) {
                continue;
            }
            try {
                intercom.tagContact(contact.id(), tag.id());
            } catch (IntercomException.NotFound staleTag) {
                tags.forget(name); // deleted in the workspace since it was cached
                intercom.tagContact(contact.id(), tags.resolve(name).id());
            }
        }
    }

    // ---- values

    /** Custom attributes, then the attribution fields and their first-touch copies. */
    static Map<String, Object> attributeValues(LeadSubmission lead) {
        Map<String, Object> values = new LinkedHashMap<>(lead.customAttributes());
        lead.attribution().forEach((field, value) -> {
            values.put(field, value);
            values.put(LeadSubmission.FIRST_TOUCH_PREFIX + field, value);
        });
        return values;
    }
}
