package dev.contactfunctions.ledger;

import java.util.Optional;

/**
 * Outcomes of deliveries by their id (an {@code Idempotency-Key}, an Intercom notification id), so that a repeated
 * delivery is answered with the first outcome instead of being processed again.
 */
public interface DeliveryLedger {

    /** The recorded outcome (a JSON document) of a delivery, if it completed before. */
    Optional<String> outcomeOf(String deliveryId);

    void recordOutcome(String deliveryId, String outcomeJson);
}
