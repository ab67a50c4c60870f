package dev.contactfunctions.leadcapture;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a delivery did: the contact it landed on, that contact's role, and whether it was created or updated.
 * {@code replayed} is true when the answer came from the delivery ledger (same Idempotency-Key) without any call.
 */
public record LeadOutcome(String contactId, String role, Outcome outcome, boolean replayed) {

    public enum Outcome {
        created, updated
    }

    /** The 200 body: {@code {contact_id, role, outcome}}. */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("contact_id", contactId);
        body.put("role", role);
        body.put("outcome", outcome.name());
        return body;
    }
}
