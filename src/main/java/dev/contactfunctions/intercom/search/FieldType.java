package dev.contactfunctions.intercom.search;

import java.util.Map;

/** The type of a searchable contact field, which decides the operators it accepts. */
public enum FieldType {
    STRING, INTEGER, DATE, BOOLEAN, TAG_ID,
    /** Custom attributes: their type lives in the workspace, so every operator is let through. */
    UNKNOWN;

    private static final Map<String, FieldType> KNOWN = Map.ofEntries(
            Map.entry("id", STRING), Map.entry("role", STRING), Map.entry("name", STRING),
            Map.entry("avatar", STRING), Map.entry("owner_id", INTEGER), Map.entry("email", STRING),
            Map.entry("email_domain", STRING), Map.entry("phone", STRING), Map.entry("external_id", STRING),
            Map.entry("created_at", DATE), Map.entry("signed_up_at", DATE), Map.entry("updated_at", DATE),
            Map.entry("last_seen_at", DATE), Map.entry("last_contacted_at", DATE),
            Map.entry("last_replied_at", DATE), Map.entry("last_email_opened_at", DATE),
            Map.entry("last_email_clicked_at", DATE), Map.entry("language_override", STRING),
            Map.entry("browser", STRING), Map.entry("browser_language", STRING), Map.entry("os", STRING),
            Map.entry("location.country", STRING), Map.entry("location.region", STRING),
            Map.entry("location.city", STRING), Map.entry("unsubscribed_from_emails", BOOLEAN),
            Map.entry("marked_email_as_spam", BOOLEAN), Map.entry("has_hard_bounced", BOOLEAN),
            Map.entry("segment_id", STRING), Map.entry("tag_id", TAG_ID));

    public static FieldType of(String field) {
        FieldType known = KNOWN.get(field);
        if (known != null) {
            return known;
        }
        if (field.startsWith("custom_attributes.") || field.startsWith("ios_") || field.startsWith("android_")) {
            return UNKNOWN;
        }
        throw new InvalidSearchQueryException("'" + field + "' is not a searchable contact field");
    }
}
