package dev.contactfunctions.reliability;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;

import dev.contactfunctions.deferral.DeferralQueue;
import dev.contactfunctions.infra.DeployedTemplate;
import dev.contactfunctions.sandbox.MutableClock;

/**
 * One function's deferral queue as a scenario drives it: the functions enqueue to it, and the scenario hands its
 * messages to the instances' production consumers the way Lambda's SQS event source mapping does, on the sandbox's
 * clock. A message becomes visible after the template's {@code DelaySeconds}; a message a consumer reported failed
 * comes back after the template's {@code VisibilityTimeout}, and one the consumer returned early (nothing tried, or
 * the person's identity busy until a not-before time) after the delay the consumer asked for, never sooner. The
 * consumer itself dead-letters a delivery after its real attempts, as deployed.
 */
interface ScenarioQueue extends DeferralQueue, AutoCloseable {

    /** The template's {@code DelaySeconds}: a queued delivery's first try comes a minute later. */
    Duration QUEUE_DELAY = Duration.ofSeconds(DeployedTemplate.queueDelaySeconds("LeadCaptureDeferralQueue"));
    /** The template's {@code VisibilityTimeout}: a failed try comes back five minutes later. */
    Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(
            DeployedTemplate.visibilityTimeoutSeconds("LeadCaptureDeferralQueue"));
    /** The template's {@code BatchSize} of the event source mapping. */
    int BATCH_SIZE = DeployedTemplate.batchSize("LeadCaptureDeferralQueueMapping");

    /** A fresh queue for one function, on ElasticMQ. The one place that chooses the queue the scenarios run on. */
    static ScenarioQueue create(String function, MutableClock clock) {
        return new ElasticMqScenarioQueue(function, clock);
    }

    /**
     * Hands every message visible now to the invocations (a consumer in a Lambda invocation), each polling in parallel
     * (batches of the template's size) until nothing is visible; answers the deliveries the consumers reported done.
     */
    int receiveAll(List<Function<SQSEvent, SQSBatchResponse>> invocations);

    /** Messages not yet delivered nor dead-lettered (delayed, visible or in flight). */
    int waiting();

    /** How many times each dead-lettered message was received (each receive is at most one try at Intercom). */
    List<Integer> deadLetterReceives();

    @Override
    void close();
}
