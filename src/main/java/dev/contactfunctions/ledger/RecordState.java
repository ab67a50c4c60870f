package dev.contactfunctions.ledger;

import java.util.Locale;

/** The life of a ledger record: pending (claimed, being processed), queued (deferred), done (contact or outcome known). */
enum RecordState {
    PENDING, QUEUED, DONE;

    String stored() {
        return name().toLowerCase(Locale.ROOT);
    }

    static RecordState fromStored(String value) {
        return value == null ? DONE : valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** What a delivery that could not be started is told, given the record that stopped it. */
    static DeliveryStart answer(RecordState state, String outcomeJson) {
        return switch (state) {
            case PENDING -> new DeliveryStart.InProgress();
            case QUEUED -> new DeliveryStart.Queued(outcomeJson);
            case DONE -> new DeliveryStart.Completed(outcomeJson);
        };
    }
}
