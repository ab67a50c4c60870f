package dev.contactfunctions.sandbox;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A contact as the sandbox stores it. Mutable; guarded by the {@link Workspace} lock. */
final class StoredContact {

    static final String USER = "user";
    static final String LEAD = "lead";

    final String id;
    String role;
    String externalId;
    String email;
    String phone;
    String name;
    String avatar;
    Long ownerId;
    boolean unsubscribedFromEmails;
    boolean hasHardBounced;
    boolean markedEmailAsSpam;
    long createdAt;
    long updatedAt;
    Long signedUpAt;
    Long lastSeenAt;
    String country;
    String region;
    String city;
    boolean archived;
    /** Custom attribute name to value (String, Long, Double or Boolean). */
    final Map<String, Object> customAttributes = new LinkedHashMap<>();
    /** Tag id to the Unix second it was applied, in the order applied. */
    final Map<String, Long> tags = new LinkedHashMap<>();

    StoredContact(String id) {
        this.id = id;
    }

    boolean isUser() {
        return USER.equals(role);
    }

    boolean isLead() {
        return LEAD.equals(role);
    }

    String emailDomain() {
        if (email == null) {
            return null;
        }
        int at = email.lastIndexOf('@');
        return at < 0 ? null : email.substring(at + 1);
    }

    boolean sameEmail(String other) {
        return email != null && other != null && normaliseEmail(email).equals(normaliseEmail(other));
    }

    static String normaliseEmail(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    StoredContact copy() {
        StoredContact c = new StoredContact(id);
        c.role = role;
        c.externalId = externalId;
        c.email = email;
        c.phone = phone;
        c.name = name;
        c.avatar = avatar;
        c.ownerId = ownerId;
        c.unsubscribedFromEmails = unsubscribedFromEmails;
        c.hasHardBounced = hasHardBounced;
        c.markedEmailAsSpam = markedEmailAsSpam;
        c.createdAt = createdAt;
        c.updatedAt = updatedAt;
        c.signedUpAt = signedUpAt;
        c.lastSeenAt = lastSeenAt;
        c.country = country;
        c.region = region;
        c.city = city;
        c.archived = archived;
        c.customAttributes.putAll(customAttributes);
        c.tags.putAll(tags);
        return c;
    }
}
