package dev.contactfunctions.identity;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.contactfunctions.support.Pseudonyms;

/**
 * The one structured line logged per delivery: {@code identify_merge route=... status=... key=value ...}. Emails
 * only as {@link Pseudonyms#emailFingerprint}; values are ids, counts and codes, never messages from the outside.
 */
final class DeliveryLog {

    private final Map<String, Object> fields = new LinkedHashMap<>();

    DeliveryLog(String route) {
        fields.put("route", route);
    }

    DeliveryLog put(String key, Object value) {
        if (value != null) {
            fields.put(key, value);
        }
        return this;
    }

    DeliveryLog email(String email, Pseudonyms pseudonyms) {
        return email == null ? this : put("email_fp", pseudonyms.emailFingerprint(email));
    }

    DeliveryLog merge(MergeResult result) {
        put("user_id", result.userId());
        put("merged", result.mergedLeadIds().size());
        put("merged_lead_ids", String.join(",", result.mergedLeadIds()));
        put("attributes_copied", result.attributesCopied().size());
        put("skipped", result.skipped().size());
        return put("excess_leads", result.excessLeads());
    }

    String line(int status, long durationMillis) {
        StringBuilder line = new StringBuilder("identify_merge");
        Map<String, Object> all = new LinkedHashMap<>(fields);
        all.put("status", status);
        all.put("duration_ms", durationMillis);
        all.forEach((key, value) -> line.append(' ').append(key).append('=').append(clean(value)));
        return line.toString();
    }

    private static String clean(Object value) {
        String text = value instanceof Collection<?> c ? String.join(",", c.stream().map(String::valueOf).toList())
                : String.valueOf(value);
        return text.isEmpty() ? "-" : text.replaceAll("[\\s=\"]", "_");
    }
}
