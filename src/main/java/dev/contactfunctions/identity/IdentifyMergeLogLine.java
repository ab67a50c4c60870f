package dev.contactfunctions.identity;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.contactfunctions.invocation.LogLine;
import dev.contactfunctions.identifiers.Pseudonyms;

/**
 * What one delivery did, for the one {@link LogLine} logged per delivery:
 * {@code identify_merge route=... key=value ... status=... duration_ms=...}. Emails only as
 * {@link Pseudonyms#emailFingerprint}; values are ids, counts and codes, never messages from the outside.
 */
final class IdentifyMergeLogLine {

    private final Map<String, Object> fields = new LinkedHashMap<>();

    IdentifyMergeLogLine(String route) {
        fields.put("route", route);
    }

    IdentifyMergeLogLine put(String key, Object value) {
        if (value != null) {
            fields.put(key, value);
        }
        return this;
    }

    IdentifyMergeLogLine email(String email, Pseudonyms pseudonyms) {
        return email == null ? this : put("email_fp", pseudonyms.emailFingerprint(email));
    }

    IdentifyMergeLogLine merge(MergeResult result) {
        put("user_id", result.userId());
        put("merged", result.mergedLeadIds().size());
        put("merged_lead_ids", String.join(",", result.mergedLeadIds()));
        put("attributes_copied", result.attributesCopied().size());
        put("skipped", result.skipped().size());
        return put("excess_leads", result.excessLeads());
    }

    /** The line, ending with the answer's status and the time the delivery took. */
    LogLine line(int status, long durationMillis) {
        LogLine line = LogLine.of("identify_merge");
        fields.forEach(line::put);
        return line.put("status", status).put("duration_ms", durationMillis);
    }
}
