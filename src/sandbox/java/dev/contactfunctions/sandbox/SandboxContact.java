package dev.contactfunctions.sandbox;

import java.util.List;
import java.util.Map;

/**
 * A read-only copy of a contact as the sandbox holds it now (search lag does not apply), for assertions.
 * Timestamps are Unix seconds; {@code tagNames} are in the order the tags were applied.
 */
public record SandboxContact(String id, String role, String externalId, String email, String name, String phone,
        long createdAt, long updatedAt, Long signedUpAt, Long lastSeenAt, Map<String, Object> customAttributes,
        List<String> tagNames, boolean archived) {

    public boolean isUser() {
        return StoredContact.USER.equals(role);
    }

    public boolean isLead() {
        return StoredContact.LEAD.equals(role);
    }

    static SandboxContact of(StoredContact c, Map<String, TagDef> tags) {
        return new SandboxContact(c.id, c.role, c.externalId, c.email, c.name, c.phone, c.createdAt, c.updatedAt,
                c.signedUpAt, c.lastSeenAt, Map.copyOf(c.customAttributes),
                c.tags.keySet().stream().map(id -> tags.containsKey(id) ? tags.get(id).name : id).toList(),
                c.archived);
    }
}
