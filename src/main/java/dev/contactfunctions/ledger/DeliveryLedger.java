package dev.contactfunctions.ledger;

import java.time.Duration;
import java.util.Optional;

/**
 * Outcomes of deliveries by their id (an {@code Idempotency-Key}, an Intercom notification id), so that a repeated
 * delivery is answered with the first outcome instead of being processed again.
 *
 * <p>A delivery record is pending (being processed, for a hold), queued (deferred to the queue, answered 202) or
 * done. {@link #startDelivery} creates the pending record with a conditional write, so of two concurrent deliveries
 * with the same id exactly one is {@link DeliveryStart.Started started} and the other sees it
 * {@link DeliveryStart.InProgress in progress}. The queue consumer takes over a queued record with
 * {@link #resumeDelivery}.
 */
public interface DeliveryLedger {

    /** The answer recorded for a delivery (done, or queued), if there is one. */
    Optional<String> outcomeOf(String deliveryId);

    /** Marks the delivery done with the answer to repeat to its sender. */
    void recordOutcome(String deliveryId, String outcomeJson);

    /**
     * Starts processing a delivery: started when no live record exists (none, or an expired one); otherwise in
     * progress, queued or completed. A pending record expires after {@code hold}, so a crashed invocation does not
     * block the delivery for ever.
     */
    DeliveryStart startDelivery(String deliveryId, Duration hold);

    /** Like {@link #startDelivery}, for the queue consumer: also takes over a queued record. */
    DeliveryStart resumeDelivery(String deliveryId, Duration hold);

    /** Marks the delivery as waiting on the deferral queue, with the (202) answer to repeat to its sender. */
    void deferDelivery(String deliveryId, String outcomeJson);

    /**
     * Counts one real attempt at a queued delivery's work, durably and before the work starts (so that an attempt
     * killed with its invocation counts too), and answers the attempts counted so far, this one included. Kept apart
     * from the delivery record, which each state change rewrites. Idempotent per receive: counting the same
     * {@code receiveId} again (a write repeated after its answer was lost) counts nothing more.
     *
     * @param receiveId what tells this receive of the message from the one counted before (its receive count)
     */
    int countAttempt(String deliveryId, String receiveId);

    /**
     * Takes back the attempt counted for {@code receiveId}: it ended before any work at Intercom (the person's
     * identity was busy). Idempotent too: it takes back only while that receive is the one counted last.
     */
    void uncountAttempt(String deliveryId, String receiveId);

    /** What an attempt's receive is recorded as once taken back, so that the next receive counts again. */
    static String uncounted(String receiveId) {
        return receiveId + "/uncounted";
    }

    /** Drops a pending record (the request failed in a way the sender should simply retry); done or queued records stay. */
    void abandonDelivery(String deliveryId);
}
