package dev.contactfunctions.deferral;

import static dev.contactfunctions.deferral.DeferralFixtures.leadDelivery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.LaunchMode;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

class DeferralQueueProducerTest {

    final InMemoryDeferralQueue inMemory = new InMemoryDeferralQueue();

    static DeferralConfig config(Optional<String> queueUrl, Optional<URI> endpoint) {
        return new DeferralConfig() {
            @Override
            public Optional<String> queueUrl() {
                return queueUrl;
            }

            @Override
            public Optional<URI> endpoint() {
                return endpoint;
            }

            @Override
            public Optional<Duration> localDrainInterval() {
                return Optional.empty();
            }

            @Override
            public Optional<String> deadLetterQueueUrl() {
                return Optional.empty();
            }

            @Override
            public int maxAttempts() {
                return 5;
            }

            @Override
            public Duration notAttemptedReturn() {
                return Duration.ofSeconds(10);
            }
        };
    }

    @Test
    void theLocalRunAndTestsQueueInMemory() {
        for (LaunchMode mode : List.of(LaunchMode.DEVELOPMENT, LaunchMode.TEST)) {
            assertThat(DeferralQueueProducer.choose(config(Optional.empty(), Optional.empty()), inMemory, mode))
                    .isSameAs(inMemory);
        }
    }

    @Test
    void aDeployedFunctionWithoutAQueueRefusesToDeferRatherThanKeepDeliveriesInMemory() {
        DeferralQueue queue = DeferralQueueProducer.choose(config(Optional.empty(), Optional.empty()), inMemory,
                LaunchMode.NORMAL);

        assertThatThrownBy(() -> queue.enqueue(leadDelivery("ada@example.com", "key-1")))
                .isInstanceOf(DeferralException.class)
                .hasMessageContaining("DEFERRAL_QUEUE_URL");
        assertThat(inMemory.waiting()).isEmpty();
    }

    @Test
    void aQueueUrlSelectsSqsAtTheConfiguredEndpoint() {
        ElasticMq elasticMq = ElasticMq.shared();
        try (SqsClient sqs = elasticMq.client()) {
            String url = elasticMq.createFifoQueue("deferred-" + java.util.UUID.randomUUID() + ".fifo");

            DeferralQueue queue = DeferralQueueProducer.choose(config(Optional.of(url),
                    Optional.of(elasticMq.endpoint())), inMemory, LaunchMode.NORMAL);
            queue.enqueue(leadDelivery("ada@example.com", "key-1"));

            assertThat(queue).isInstanceOf(SqsDeferralQueue.class);
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(url)).messages();
            assertThat(messages).extracting(m -> DeferredDelivery.fromJson(m.body())).containsExactly(leadDelivery("ada@example.com", "key-1"));
            ((SqsDeferralQueue) queue).close();
        }
    }
}
