package dev.contactfunctions.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.contactfunctions.deferral.DeferredDelivery;
import dev.contactfunctions.sandbox.MutableClock;

/**
 * The scenario queue keeps SQS's times on the sandbox's clock (jqwik properties, no application needed): a message is
 * never handed out before the template's delay has passed, nor before the time the consumer gave it back for, nor
 * while its visibility timeout runs; and it is handed out once that time has come.
 */
class ScenarioQueueProperties {

    @Property(tries = 15)
    void aMessageComesBackNeitherBeforeNorLongAfterItsTime(
            @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 900) Integer> returnAfterSeconds,
            @ForAll @IntRange(min = 5, max = 120) int stepSeconds) {
        MutableClock clock = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
        try (ElasticMqScenarioQueue queue = new ElasticMqScenarioQueue("properties", clock)) {
            queue.enqueue(DeferredDelivery.first("route", JsonNodeFactory.instance.objectNode(), "email:person",
                    "delivery-" + UUID.randomUUID(), clock.instant()));
            Instant notBefore = clock.instant().plus(ScenarioQueue.QUEUE_DELAY);
            List<Integer> returns = new ArrayList<>(returnAfterSeconds);
            int handedOut = 0;
            // time runs in steps; each time the message is handed out, the consumer gives it back for the next delay,
            // and reports the last one done
            for (int step = 0; step < 2000 && queue.waiting() > 0; step++) {
                ElasticMqScenarioQueue.Batch batch = queue.receive(ScenarioQueue.BATCH_SIZE);
                if (batch != null && !batch.messages().isEmpty()) {
                    assertThat(clock.instant()).as("handed out at its time or after").isAfterOrEqualTo(notBefore);
                    assertThat(Duration.between(notBefore, clock.instant()))
                            .as("handed out by the poll after its time")
                            .isLessThanOrEqualTo(Duration.ofSeconds(stepSeconds));
                    handedOut++;
                    SQSEvent.SQSMessage message = batch.event().getRecords().get(0);
                    SQSBatchResponse response = new SQSBatchResponse(new ArrayList<>());
                    if (!returns.isEmpty()) {
                        int seconds = returns.remove(0);
                        queue.returnAfter(message, Duration.ofSeconds(seconds));
                        notBefore = clock.instant().plusSeconds(seconds);
                        response.getBatchItemFailures().add(new SQSBatchResponse.BatchItemFailure(
                                message.getMessageId()));
                    }
                    queue.settle(batch, response, false);
                }
                clock.advance(Duration.ofSeconds(stepSeconds));
            }
            assertThat(handedOut).isEqualTo(returnAfterSeconds.size() + 1);
            assertThat(queue.waiting()).isZero();
        }
    }
}
