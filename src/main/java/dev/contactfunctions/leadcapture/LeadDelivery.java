package dev.contactfunctions.leadcapture;

/** What the webhook answers for one lead delivery. */
public sealed interface LeadDelivery {

    /** The lead is in Intercom (or was, for a repeated delivery): 200 {@code {contact_id, role, outcome}}. */
    record Captured(LeadOutcome outcome) implements LeadDelivery {
    }

    /**
     * Intercom could not take it within the budget: it waits on the deferral queue, 202
     * {@code {status: "queued", delivery_id}}. {@code reason} says why (for the log line); {@code again} is true for a
     * repeated delivery of a queued one.
     */
    record Queued(String deliveryId, boolean again, String reason) implements LeadDelivery {
    }

    /** Another invocation is processing the same delivery (same Idempotency-Key) right now: 409 with Retry-After. */
    record InProgress(String deliveryId) implements LeadDelivery {
    }
}
