package dev.contactfunctions.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A contact to put straight into the sandbox with {@link IntercomSandbox#addContact(SeedContact)}: no HTTP, no
 * 409 checks (so duplicates can be planted), searchable at once. Custom attributes must be defined first
 * ({@link IntercomSandbox#defineDataAttribute}); tags are created on the fly.
 */
public final class SeedContact {

    final String role;
    final String externalId;
    final String email;
    String name;
    String phone;
    Instant createdAt;
    Instant signedUpAt;
    Instant lastSeenAt;
    String country;
    boolean archived;
    final Map<String, Object> customAttributes = new LinkedHashMap<>();
    final List<String> tags = new ArrayList<>();
    String id;

    private SeedContact(String role, String externalId, String email) {
        this.role = role;
        this.externalId = externalId;
        this.email = email;
    }

    /** A user; either argument may be null, not both. */
    public static SeedContact user(String externalId, String email) {
        if (externalId == null && email == null) {
            throw new IllegalArgumentException("a user needs an external_id or an email");
        }
        return new SeedContact(StoredContact.USER, externalId, email);
    }

    /** A lead (leads never have an external_id); the email may be null. */
    public static SeedContact lead(String email) {
        return new SeedContact(StoredContact.LEAD, null, email);
    }

    /** A fixed Intercom id (24 hex characters), e.g. one a committed sample event names; else one is generated. */
    public SeedContact id(String id) {
        if (id == null || !id.matches("[0-9a-f]{24}")) {
            throw new IllegalArgumentException("a contact id is 24 lower-case hex characters: " + id);
        }
        this.id = id;
        return this;
    }

    public SeedContact name(String name) {
        this.name = name;
        return this;
    }

    public SeedContact phone(String phone) {
        this.phone = phone;
        return this;
    }

    /** Defaults to the sandbox clock's now. */
    public SeedContact createdAt(Instant createdAt) {
        this.createdAt = createdAt;
        return this;
    }

    public SeedContact signedUpAt(Instant signedUpAt) {
        this.signedUpAt = signedUpAt;
        return this;
    }

    public SeedContact lastSeenAt(Instant lastSeenAt) {
        this.lastSeenAt = lastSeenAt;
        return this;
    }

    public SeedContact country(String country) {
        this.country = country;
        return this;
    }

    /** A custom attribute value: String, an integral number, a floating number or Boolean. */
    public SeedContact attribute(String name, Object value) {
        customAttributes.put(name, value);
        return this;
    }

    /** A tag by name; created in the workspace if missing. */
    public SeedContact tag(String tagName) {
        tags.add(tagName);
        return this;
    }

    public SeedContact archived() {
        this.archived = true;
        return this;
    }
}
