package dev.contactfunctions.deferral;

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
}
