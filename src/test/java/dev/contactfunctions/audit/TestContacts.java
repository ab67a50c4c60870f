package dev.contactfunctions.audit;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.contactfunctions.intercom.model.Contact;

/** Builds contacts for the audit's tests. */
final class TestContacts {

    static final Instant NOW = Instant.parse("2026-05-01T02:00:00Z");

    private TestContacts() {
    }

    static Builder user(String id, String email) {
        return new Builder(id, Contact.ROLE_USER, email);
    }

    static Builder lead(String id, String email) {
        return new Builder(id, Contact.ROLE_LEAD, email);
    }

    static final class Builder {
        private final String id;
        private final String role;
        private final String email;
        private Long lastSeenAt = NOW.minusSeconds(3600).getEpochSecond();
        private Long createdAt = NOW.minusSeconds(86_400L * 400).getEpochSecond();
        private final Map<String, Object> custom = new LinkedHashMap<>();
        private List<String> tagIds = List.of();
        private String name;

        private Builder(String id, String role, String email) {
            this.id = id;
            this.role = role;
            this.email = email;
        }

        Builder attribute(String key, Object value) {
            custom.put(key, value);
            return this;
        }

        Builder tags(String... ids) {
            tagIds = Arrays.asList(ids);
            return this;
        }

        Builder lastSeenDaysAgo(int days) {
            lastSeenAt = NOW.minusSeconds(86_400L * days).getEpochSecond();
            return this;
        }

        Builder neverSeen(int createdDaysAgo) {
            lastSeenAt = null;
            createdAt = NOW.minusSeconds(86_400L * createdDaysAgo).getEpochSecond();
            return this;
        }

        Builder name(String value) {
            name = value;
            return this;
        }

        Contact build() {
            List<Contact.TagRef> refs = tagIds.stream().map(t -> new Contact.TagRef(t, null)).toList();
            return new Contact(id, role, Contact.ROLE_USER.equals(role) ? "ext-" + id : null, email, null, name,
                    createdAt, createdAt, null, lastSeenAt, new LinkedHashMap<>(custom),
                    new Contact.TagRefs(refs, refs.size(), false));
        }
    }
}
