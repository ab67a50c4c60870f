package dev.contactfunctions.leadcapture;

import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.contactfunctions.intercom.IntercomClient;
import dev.contactfunctions.intercom.IntercomException;
import dev.contactfunctions.intercom.model.Contact;
import dev.contactfunctions.intercom.model.ContactRequest;
import dev.contactfunctions.intercom.model.Tag;
import dev.contactfunctions.intercom.search.SearchFilter;
import dev.contactfunctions.intercom.search.SearchQuery;
import dev.contactfunctions.ledger.DeliveryLedger;
import dev.contactfunctions.ledger.IdentityLedger;
import dev.contactfunctions.support.Emails;
import dev.contactfunctions.webhook.WebhookException;

/**
 * Turns a validated lead into exactly one Intercom contact (design.md, dedupe rules):
 * <ol>
 * <li>a repeated {@code Idempotency-Key} is answered from the delivery ledger, without any call;</li>
 * <li>custom attributes are made to exist (or the delivery is refused) before anything is written;</li>
 * <li>the person is looked up: the identity ledger first (a contact created seconds ago that search cannot show
 * yet), then one search {@code email = x} that returns users and leads together. A user wins (a customer filling
 * a form is not a new lead), else the most recently updated lead;</li>
 * <li>found: a partial update of what changed (nothing changed: no call); not found: a lead is created, and a 409
 * names the contact to update instead, unarchived first if archived;</li>
 * <li>tags are created when missing and attached when the contact does not carry them yet.</li>
 * </ol>
 * Deliveries of the same email are serialized inside the instance. Calls for a new lead on a warm instance:
 * search, create, one per tag (+1 per attribute or tag that has to be created); for a known person: search (or a
 * read by the remembered id), an update when something changed, one per tag not on the contact yet.
 */
@ApplicationScoped
public class LeadCaptureService {

    static final String DELIVERY_PREFIX = "lead-capture:";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final IntercomClient intercom;
    private final CustomAttributeCatalog attributes;
    private final TagCatalog tags;
    private final IdentityLedger identities;
    private final DeliveryLedger deliveries;
    private final EmailLocks locks;

    LeadCaptureService(IntercomClient intercom, CustomAttributeCatalog attributes, TagCatalog tags,
            IdentityLedger identities, DeliveryLedger deliveries, EmailLocks locks) {
        this.intercom = intercom;
        this.attributes = attributes;
        this.tags = tags;
        this.identities = identities;
        this.deliveries = deliveries;
        this.locks = locks;
    }

    /**
     * Captures one delivery. Throws {@link WebhookException} for refusals (nothing written) and
     * {@link IntercomException} when Intercom failed; a retry of the same delivery is always safe.
     */
    public LeadOutcome capture(LeadSubmission lead, Optional<String> idempotencyKey) {
        ReentrantLock lock = locks.forEmail(lead.email());
        lock.lock();
        try {
            String fingerprint = requestFingerprint(lead);
            Optional<LeadOutcome> replay = idempotencyKey.flatMap(key -> replay(key, fingerprint));
            if (replay.isPresent()) {
                return replay.get();
            }
            LeadOutcome outcome = upsert(lead);
            idempotencyKey.ifPresent(key -> record(key, fingerprint, outcome));
            return outcome;
        } finally {
            lock.unlock();
        }
    }

    private LeadOutcome upsert(LeadSubmission lead) {
        Map<String, Object> wanted = attributes.prepare(attributeValues(lead));
        Optional<Contact> known = findPerson(lead.email());
        Contact contact;
        LeadOutcome.Outcome outcome;
        if (known.isPresent()) {
            contact = update(known.get(), lead, wanted);
            outcome = LeadOutcome.Outcome.updated;
        } else {
            try {
                contact = create(lead, wanted);
                outcome = LeadOutcome.Outcome.created;
            } catch (IntercomException.Conflict conflict) {
                contact = update(reopenConflicting(conflict, lead), lead, wanted);
                outcome = LeadOutcome.Outcome.updated;
            }
        }
        attachTags(contact, lead);
        return new LeadOutcome(contact.id(), contact.role(), outcome, false);
    }

    // ---- finding the person

    private Optional<Contact> findPerson(String email) {
        String identity = IdentityLedger.email(email);
        Optional<String> remembered = identities.contactFor(identity);
        if (remembered.isPresent()) {
            Optional<Contact> contact = readRemembered(remembered.get());
            if (contact.isPresent() && email.equals(Emails.normalize(contact.get().email()))) {
                return contact;
            }
            identities.forget(identity); // merged away, deleted, or its email changed: ask search instead
        }
        Optional<Contact> found = search(email);
        found.ifPresent(contact -> identities.remember(identity, contact.id()));
        return found;
    }

    private Optional<Contact> readRemembered(String contactId) {
        try {
            return intercom.findContact(contactId);
        } catch (IntercomException.Gone merged) {
            return merged.canonicalContactId().flatMap(intercom::findContact);
        }
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
        Contact created = writeWithFreshAttributes(request, r -> intercom.createContact(r));
        identities.remember(IdentityLedger.email(lead.email()), created.id());
        return created;
    }

    /** The contact a 409 named, unarchived if needed and read back (its attributes decide the first-touch values). */
    private Contact reopenConflicting(IntercomException.Conflict conflict, LeadSubmission lead) {
        String id = conflict.existingContactId().orElseThrow(() -> conflict);
        if (conflict.archived()) {
            intercom.unarchiveContact(id);
        }
        Contact contact = intercom.findContact(id).orElseThrow(() -> new IntercomException.NotFound("not_found",
                "The contact named by Intercom's 409 could not be read", null));
        identities.remember(IdentityLedger.email(lead.email()), contact.id());
        return contact;
    }

    /** A partial update of what differs from the contact; no call at all when nothing does. */
    private Contact update(Contact contact, LeadSubmission lead, Map<String, Object> wanted) {
        Map<String, Object> current = contact.customAttributesOrEmpty();
        Map<String, Object> changes = new LinkedHashMap<>();
        wanted.forEach((name, value) -> {
            boolean firstTouch = name.startsWith(LeadSubmission.FIRST_TOUCH_PREFIX)
                    && LeadSubmission.isAttributionAttribute(name);
            if (firstTouch && !isEmpty(current.get(name))) {
                return; // first touch is kept
            }
            if (!sameValue(current.get(name), value)) {
                changes.put(name, value);
            }
        });
        // Leads take the latest name and phone; a user's own details belong to the product, so they are only filled in.
        boolean overwrite = contact.isLead();
        String name = changed(contact.name(), lead.name(), overwrite);
        String phone = changed(contact.phone(), lead.phone(), overwrite);
        if (changes.isEmpty() && name == null && phone == null) {
            return contact;
        }
        ContactRequest request = ContactRequest.builder().name(name).phone(phone).customAttributes(changes).build();
        return writeWithFreshAttributes(request, r -> intercom.updateContact(contact.id(), r));
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

    private static String changed(String current, String wanted, boolean overwrite) {
        if (wanted == null || wanted.equals(current)) {
            return null;
        }
        return overwrite || current == null || current.isBlank() ? wanted : null;
    }

    private static boolean isEmpty(Object value) {
        return value == null || value instanceof String s && s.isBlank();
    }

    static boolean sameValue(Object current, Object wanted) {
        if (current instanceof Number a && wanted instanceof Number b) {
            return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString())) == 0;
        }
        return Objects.equals(current, wanted);
    }

    // ---- idempotency

    private Optional<LeadOutcome> replay(String key, String fingerprint) {
        return deliveries.outcomeOf(DELIVERY_PREFIX + key).map(json -> {
            try {
                JsonNode recorded = JSON.readTree(json);
                if (!fingerprint.equals(recorded.path("request").asText())) {
                    throw new WebhookException(422, "idempotency_key_reused",
                            "This Idempotency-Key was used for a different lead; use a new key per delivery",
                            "Idempotency-Key");
                }
                return new LeadOutcome(recorded.path("contact_id").asText(), recorded.path("role").asText(null),
                        LeadOutcome.Outcome.valueOf(recorded.path("outcome").asText()), true);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                return null; // unreadable record: process the delivery again (the person lookup still dedupes)
            }
        });
    }

    private void record(String key, String fingerprint, LeadOutcome outcome) {
        Map<String, Object> recorded = new LinkedHashMap<>(outcome.body());
        recorded.put("request", fingerprint);
        try {
            deliveries.recordOutcome(DELIVERY_PREFIX + key, JSON.writeValueAsString(recorded));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A digest of the validated lead: the same delivery always gives the same value. */
    static String requestFingerprint(LeadSubmission lead) {
        try {
            byte[] canonical = JSON.writeValueAsBytes(lead);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
