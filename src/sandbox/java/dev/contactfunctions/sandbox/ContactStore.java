package dev.contactfunctions.sandbox;

import static dev.contactfunctions.sandbox.RequestBodies.blank;
import static dev.contactfunctions.sandbox.RequestBodies.integer;
import static dev.contactfunctions.sandbox.RequestBodies.requireObject;
import static dev.contactfunctions.sandbox.RequestBodies.text;
import static dev.contactfunctions.sandbox.RequestBodies.trimmed;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The workspace's contacts and the leads merged away, with Intercom's rules for writing them: who may be a user or a
 * lead, one user per email and per {@code external_id}, and only a lead merged into a user. Every write goes to the
 * {@link SearchIndex}. Not thread-safe: guarded by the {@link Workspace} lock.
 */
final class ContactStore {

    private static final Set<String> ROLES = Set.of(StoredContact.USER, StoredContact.LEAD);
    private static final long ID_BASE = 0x3c6ef372fe94f000L;

    private final SearchIndex index;
    private final AttributeCatalog attributes;
    private final Supplier<Instant> time;
    private final Map<String, StoredContact> contacts = new LinkedHashMap<>();
    private final Map<String, String> mergedInto = new LinkedHashMap<>();
    private long idCounter = 1;

    ContactStore(SearchIndex index, AttributeCatalog attributes, Supplier<Instant> time) {
        this.index = index;
        this.attributes = attributes;
        this.time = time;
    }

    private long now() {
        return time.get().getEpochSecond();
    }

    StoredContact create(JsonNode body) {
        requireObject(body);
        String role = text(body, "role");
        String externalId = text(body, "external_id");
        String email = trimmed(text(body, "email"));
        if (role == null && externalId == null && email == null) {
            throw ApiError.invalid("A contact needs at least one of role, email or external_id");
        }
        role = role == null ? StoredContact.USER : role;
        checkRole(role);
        if (StoredContact.LEAD.equals(role) && !blank(externalId)) {
            throw externalIdOnLead();
        }
        if (StoredContact.USER.equals(role) && blank(email) && blank(externalId)) {
            throw ApiError.invalid("A user needs an email or an external_id");
        }
        Map<String, Object> custom = attributes.customAttributes(body);
        if (StoredContact.USER.equals(role)) {
            ensureNoOtherUser(null, email, externalId);
        }
        StoredContact contact = new StoredContact(nextContactId(now()));
        contact.role = role;
        contact.createdAt = now();
        contact.updatedAt = contact.createdAt;
        apply(contact, body, custom);
        contacts.put(contact.id, contact);
        index.reindex(contact);
        return contact;
    }

    StoredContact userByExternalId(String externalId) {
        return contacts.values().stream()
                .filter(c -> c.isUser() && !c.archived && externalId.equals(c.externalId))
                .findFirst().orElseThrow(ApiError::contactNotFound);
    }

    StoredContact update(String id, JsonNode body) {
        StoredContact contact = active(id);
        requireObject(body);
        String role = body.has("role") ? text(body, "role") : contact.role;
        checkRole(role);
        if (contact.isUser() && StoredContact.LEAD.equals(role)) {
            throw ApiError.invalid("A user cannot be turned into a lead");
        }
        if (StoredContact.LEAD.equals(role) && !blank(text(body, "external_id"))) {
            throw externalIdOnLead();
        }
        Map<String, Object> custom = attributes.customAttributes(body);
        if (StoredContact.USER.equals(role)) {
            boolean becomesUser = !contact.isUser();
            String email = body.has("email") ? trimmed(text(body, "email")) : contact.email;
            String externalId = body.has("external_id") ? text(body, "external_id") : contact.externalId;
            if (blank(email) && blank(externalId)) {
                throw ApiError.invalid("A user needs an email or an external_id");
            }
            boolean emailChanges = becomesUser || email != null && !contact.sameEmail(email);
            boolean externalIdChanges = becomesUser || externalId != null && !externalId.equals(contact.externalId);
            ensureNoOtherUser(contact.id, emailChanges ? email : null, externalIdChanges ? externalId : null);
        }
        contact.role = role;
        apply(contact, body, custom);
        contact.updatedAt = now();
        index.reindex(contact);
        return contact;
    }

    StoredContact delete(String id) {
        StoredContact contact = existing(id);
        contacts.remove(id);
        index.remove(id);
        return contact;
    }

    /** Archives or unarchives a contact: an archived one is left out of reads, writes, listing and search. */
    StoredContact setArchived(String id, boolean archived) {
        StoredContact contact = existing(id);
        contact.archived = archived;
        return contact;
    }

    /** Merges a lead into a user: the lead's tags move to the user, then the lead is gone for good. */
    StoredContact merge(JsonNode body) {
        requireObject(body);
        String from = text(body, "from");
        String into = text(body, "into");
        if (blank(from) || blank(into)) {
            throw ApiError.invalid("from and into are both required");
        }
        if (from.equals(into)) {
            throw ApiError.invalid("A contact cannot be merged into itself");
        }
        StoredContact lead = active(from);
        StoredContact user = active(into);
        if (!lead.isLead() || !user.isUser()) {
            throw ApiError.invalid("Only a lead can be merged, and only into a user: 'from' is a " + lead.role
                    + " and 'into' a " + user.role);
        }
        long now = now();
        lead.tags.keySet().forEach(tagId -> user.tags.putIfAbsent(tagId, now));
        user.updatedAt = now;
        contacts.remove(lead.id);
        index.remove(lead.id);
        mergedInto.put(lead.id, user.id);
        index.reindex(user);
        return user;
    }

    /** Every contact, archived ones included, in the order created. */
    Collection<StoredContact> all() {
        return contacts.values();
    }

    Optional<StoredContact> find(String id) {
        return Optional.ofNullable(contacts.get(id));
    }

    /** Lead id to the user it was merged into. */
    Map<String, String> mergedInto() {
        return mergedInto;
    }

    /** A contact that can be read and written: not deleted, merged or archived. */
    StoredContact active(String id) {
        StoredContact contact = contacts.get(id);
        if (contact == null || contact.archived) {
            throw ApiError.contactNotFound();
        }
        return contact;
    }

    /** A contact that exists, archived or not. */
    private StoredContact existing(String id) {
        StoredContact contact = contacts.get(id);
        if (contact == null) {
            throw ApiError.contactNotFound();
        }
        return contact;
    }

    /** A seeded contact, as given: no HTTP rules, searchable at once. */
    void insertSeeded(StoredContact contact) {
        if (contacts.containsKey(contact.id) || mergedInto.containsKey(contact.id)) {
            throw new IllegalStateException("contact id already used: " + contact.id);
        }
        for (String name : contact.customAttributes.keySet()) {
            if (attributes.customAttribute(name).isEmpty()) {
                throw new IllegalArgumentException("Custom attribute '" + name
                        + "' is not defined: define the data attribute before seeding contacts with it");
            }
        }
        contacts.put(contact.id, contact);
        index.indexSeeded(contact);
    }

    String nextContactId(long epochSecond) {
        String id;
        do {
            // a timestamp then a counter: 24 hex chars that sort by creation, like Intercom's (MongoDB) ids
            id = String.format("%08x%016x", epochSecond & 0xffffffffL, ID_BASE + idCounter++);
        } while (contacts.containsKey(id) || mergedInto.containsKey(id));
        return id;
    }

    private void ensureNoOtherUser(String selfId, String email, String externalId) {
        if (!blank(externalId)) {
            for (StoredContact c : contacts.values()) {
                if (c.isUser() && !c.id.equals(selfId) && externalId.equals(c.externalId)) {
                    throw ApiError.conflict(c.id, c.archived);
                }
            }
        }
        if (!blank(email)) {
            for (StoredContact c : contacts.values()) {
                if (c.isUser() && !c.id.equals(selfId) && c.sameEmail(email)) {
                    throw ApiError.conflict(c.id, c.archived);
                }
            }
        }
    }

    private static void apply(StoredContact c, JsonNode body, Map<String, Object> custom) {
        if (body.has("role")) {
            c.role = text(body, "role");
        }
        if (body.has("external_id")) {
            c.externalId = text(body, "external_id");
        }
        if (body.has("email")) {
            c.email = trimmed(text(body, "email"));
        }
        if (body.has("phone")) {
            c.phone = text(body, "phone");
        }
        if (body.has("name")) {
            c.name = text(body, "name");
        }
        if (body.has("avatar")) {
            c.avatar = text(body, "avatar");
        }
        if (body.has("signed_up_at")) {
            c.signedUpAt = integer(body, "signed_up_at");
        }
        if (body.has("last_seen_at")) {
            c.lastSeenAt = integer(body, "last_seen_at");
        }
        if (body.has("owner_id")) {
            c.ownerId = integer(body, "owner_id");
        }
        if (body.has("unsubscribed_from_emails")) {
            JsonNode flag = body.get("unsubscribed_from_emails");
            if (!flag.isNull() && !flag.isBoolean()) {
                throw ApiError.invalid("unsubscribed_from_emails must be a boolean");
            }
            c.unsubscribedFromEmails = flag.asBoolean(false);
        }
        custom.forEach((name, value) -> {
            if (value == null) {
                c.customAttributes.remove(name);
            } else {
                c.customAttributes.put(name, value);
            }
        });
    }

    private static void checkRole(String role) {
        if (!ROLES.contains(role)) {
            throw ApiError.invalid("role must be one of user or lead");
        }
    }

    private static ApiError externalIdOnLead() {
        return ApiError.invalid("external_id can't be set for a contact with role lead");
    }
}
