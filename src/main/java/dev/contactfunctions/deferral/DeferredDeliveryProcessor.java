package dev.contactfunctions.deferral;

/**
 * Finishes deferred deliveries of one route: each function that defers provides one (a CDI bean). It resumes the
 * delivery in the ledger, does the Intercom work, records the outcome, and answers {@link Disposition#RETRY} (or
 * throws) when Intercom is still unavailable, so that the message comes back later and, after the queue's receive
 * limit, lands in the dead-letter queue instead of being lost.
 */
public interface DeferredDeliveryProcessor {

    /** The route this processor finishes, as in {@link DeferredDelivery#route()}. */
    String route();

    Disposition process(DeferredDelivery delivery);
}
