package dev.contactfunctions.deferral;

import java.time.Duration;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;

/**
 * Where a webhook puts a validated request that Intercom could not take within the response budget, before it
 * answers 202: the function consumes it later ({@link DeferredDeliveryConsumer}), in order per person.
 */
public interface DeferralQueue {

    /**
     * Stores the delivery, or throws {@link DeferralException}: then nothing was queued and the webhook must not
     * answer 202 (it answers 503 so that the sender retries).
     */
    void enqueue(DeferredDelivery delivery);

    /**
     * Makes a received message visible again after {@code delay} rather than after the queue's visibility timeout
     * (a message nothing was tried for). Best effort: when it fails the visibility timeout applies.
     */
    default void returnAfter(SQSEvent.SQSMessage message, Duration delay) {
    }

    /**
     * Sends a received message to the dead-letter queue, before the consumer drops it from this queue. Answers false
     * when this queue has no dead-letter queue to send to (the queue's own redrive then moves it, eventually); throws
     * {@link DeferralException} when the send fails.
     */
    default boolean deadLetter(SQSEvent.SQSMessage message) {
        return false;
    }
}
