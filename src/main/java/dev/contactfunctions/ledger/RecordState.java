package dev.contactfunctions.ledger;

import java.time.Instant;
import java.util.Locale;

/**
 * The life of a ledger record: pending (claimed, being processed), queued (deferred), done (contact or outcome known),
 * and for identities unsettled (no holder, but a create was sent whose outcome is unknown).
 */
enum RecordState {
    PENDING, QUEUED, DONE, UNSETTLED;

    String stored() {
        return name().toLowerCase(Locale.ROOT);
    }

    static RecordState fromStored(String value) {
        return value == null ? DONE : valueOf(value.toUpperCase(Locale.ROOT));
    }

    /**
     * What a delivery that could not be started is told, given the record that stopped it.
     *
     * @param heldUntil when a pending record's hold runs out
     */
    static DeliveryStart answer(RecordState state, String outcomeJson, Instant heldUntil) {
        return switch (state) {
            case PENDING, UNSETTLED -> new DeliveryStart.InProgress(heldUntil);
            case QUEUED -> new DeliveryStart.Queued(outcomeJson);
            case DONE -> new DeliveryStart.Completed(outcomeJson);
        };
    }
}
