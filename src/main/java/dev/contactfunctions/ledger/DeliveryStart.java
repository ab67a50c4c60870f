package dev.contactfunctions.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * The answer to {@link DeliveryLedger#startDelivery} and {@link DeliveryLedger#resumeDelivery}: whether this caller
 * now processes the delivery, or what the sender is to be told instead.
 */
public sealed interface DeliveryStart {

    /** The caller processes the delivery and ends with {@code recordOutcome}, {@code deferDelivery} or {@code abandonDelivery}. */
    record Started() implements DeliveryStart {
    }

    /**
     * Another invocation is processing the same delivery right now (a concurrent duplicate), or died doing so: its
     * hold runs out at {@code heldUntil}, and a retry after that starts the delivery afresh.
     */
    record InProgress(Instant heldUntil) implements DeliveryStart {
        public InProgress {
            Objects.requireNonNull(heldUntil);
        }
    }

    /** The delivery was processed before; answer with this outcome again. */
    record Completed(String outcomeJson) implements DeliveryStart {
    }

    /** The delivery waits on the deferral queue; answer with this (202) outcome again and do not enqueue it twice. */
    record Queued(String outcomeJson) implements DeliveryStart {
    }
}
