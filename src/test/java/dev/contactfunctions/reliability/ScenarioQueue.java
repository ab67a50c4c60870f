package dev.contactfunctions.reliability;

import java.util.List;

import dev.contactfunctions.deferral.DeferralQueue;
import dev.contactfunctions.deferral.DeferredDeliveryConsumer;
import dev.contactfunctions.deferral.InMemoryDeferralQueue;

/**
 * One function's deferral queue as a scenario drives it: the functions enqueue to it, and the scenario hands its
 * messages to the instances' consumers the way Lambda's SQS event source mapping does. A message a consumer reported
 * failed stays invisible until the scenario lets its visibility timeout pass (it advances the sandbox's clock by the
 * timeout first), and moves to the dead letters after {@link #MAX_RECEIVES} receives, as the template's redrive
 * policy says.
 */
interface ScenarioQueue extends DeferralQueue {

    /** The template's {@code maxReceiveCount}. */
    int MAX_RECEIVES = InMemoryDeferralQueue.MAX_RECEIVES;

    /** A fresh queue for one function, on ElasticMQ. The one place that chooses the queue the scenarios run on. */
    static ScenarioQueue create(String function) {
        return new ElasticMqScenarioQueue(function);
    }

    /**
     * Hands every visible message to the consumers, each polling in parallel (batches of up to 10) until nothing is
     * visible; answers the deliveries the consumers reported done.
     */
    int receiveAll(List<DeferredDeliveryConsumer> consumers);

    /** The failed messages' visibility timeout has run out: they can be received again. */
    void visibilityTimeoutPassed();

    /** Messages not yet delivered nor dead-lettered. */
    int waiting();

    /** How many times each dead-lettered message was received (each receive is at most one try at Intercom). */
    List<Integer> deadLetterReceives();
}
