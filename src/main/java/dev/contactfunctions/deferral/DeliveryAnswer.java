package dev.contactfunctions.deferral;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What a webhook answers for one delivery, as {@link DeliveryLifecycle#accept} decided it. */
public sealed interface DeliveryAnswer {

    /** Processed now, or before ({@code replayed}: a repeated delivery, answered without any work). */
    record Done(ObjectNode body, boolean replayed) implements DeliveryAnswer {
    }

    /**
     * Waiting on the deferral queue (202 for our webhooks). {@code reason} says why, for the log line; {@code again}
     * is true for a repeated delivery of one that was queued before (nothing is queued twice).
     */
    record Queued(String deliveryId, boolean again, String reason) implements DeliveryAnswer {
    }

    /**
     * Another invocation is processing the same delivery right now (a concurrent duplicate), or died doing so: 409,
     * retry after {@code retryAfterSeconds}, when that invocation's hold has run out and a retry takes over.
     */
    record InProgress(String deliveryId, long retryAfterSeconds) implements DeliveryAnswer {
    }
}
