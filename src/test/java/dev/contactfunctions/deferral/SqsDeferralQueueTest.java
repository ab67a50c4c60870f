package dev.contactfunctions.deferral;

import static dev.contactfunctions.deferral.DeferralFixtures.leadDelivery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import dev.contactfunctions.intercom.CallBudget;
import dev.contactfunctions.intercom.TestConfigs;
import dev.contactfunctions.invocation.InvocationDeadline;
import dev.contactfunctions.sandbox.MutableClock;
import dev.contactfunctions.invocation.AwsClients;

/** The SQS path against ElasticMQ, a real SQS-compatible server, with FIFO queues as the template declares them. */
class SqsDeferralQueueTest {

    static ElasticMq elasticMq;

    SqsClient sqs;
    String queueUrl;
    SqsDeferralQueue queue;
    final List<String> processed = new ArrayList<>();
    final List<String> finished = new ArrayList<>();
    final Set<String> failOnce = new HashSet<>();
    final Set<String> alwaysFail = new HashSet<>();

    final DeferredDeliveryConsumer consumer = DeferralFixtures.leadConsumer(delivery -> {
        processed.add(delivery.deliveryId());
        if (alwaysFail.contains(delivery.deliveryId()) || failOnce.remove(delivery.deliveryId())) {
            return Disposition.RETRY;
        }
        finished.add(delivery.deliveryId());
        return Disposition.DONE;
    });

    @BeforeAll
    static void startElasticMq() {
        elasticMq = ElasticMq.shared();
    }

    @BeforeEach
    void createQueue() {
        sqs = elasticMq.client();
        queueUrl = elasticMq.createFifoQueue("deferred-" + UUID.randomUUID() + ".fifo");
        queue = new SqsDeferralQueue(elasticMq.client(), queueUrl);
    }

    @AfterEach
    void closeClients() {
        queue.close();
        sqs.close();
    }

    List<Message> receiveAll() {
        return sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
    }

    @Test
    void aDeferredDeliveryIsQueuedGroupedByPersonAndDeduplicatedByDeliveryIdWithoutTheEmailInItsMetadata() {
        DeferredDelivery delivery = leadDelivery("ada@example.com", "key-1");

        queue.enqueue(delivery);

        List<Message> messages = receiveAll();
        assertThat(messages).hasSize(1);
        Message message = messages.get(0);
        assertThat(DeferredDelivery.fromJson(message.body())).isEqualTo(delivery);
        Map<MessageSystemAttributeName, String> attributes = message.attributes();
        assertThat(attributes.get(MessageSystemAttributeName.MESSAGE_GROUP_ID))
                .isEqualTo(SqsDeferralQueue.groupId("email:ada@example.com"))
                .matches("[0-9a-f]{64}");
        assertThat(attributes.get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID))
                .isEqualTo(SqsDeferralQueue.deduplicationId("key-1"));
    }

    @Test
    void theSameDeliveryQueuedTwiceIsStoredOnce() {
        queue.enqueue(leadDelivery("ada@example.com", "key-1"));
        queue.enqueue(leadDelivery("ada@example.com", "key-1"));
        queue.enqueue(leadDelivery("ada@example.com", "key-2"));

        List<String> ids = new ArrayList<>();
        new LambdaSqsPoller(sqs, queueUrl).pollUntilEmpty(event -> {
            event.getRecords().forEach(m -> ids.add(DeferredDelivery.fromJson(m.getBody()).deliveryId()));
            return consumer.consume(event);
        }, 10);
        assertThat(ids).containsExactly("key-1", "key-2");
    }

    @Test
    void everyDeliveryIsFinishedExactlyOnceInEachPersonsOrderThroughFailures() {
        queue.enqueue(leadDelivery("ada@example.com", "ada-1"));
        queue.enqueue(leadDelivery("bob@example.com", "bob-1"));
        queue.enqueue(leadDelivery("ada@example.com", "ada-2"));
        queue.enqueue(leadDelivery("ada@example.com", "ada-3"));
        queue.enqueue(leadDelivery("bob@example.com", "bob-2"));
        failOnce.add("ada-1");
        failOnce.add("bob-2");

        new LambdaSqsPoller(sqs, queueUrl).pollUntilEmpty(consumer::consume, 20);

        assertThat(finished.stream().filter(id -> id.startsWith("ada")))
                .containsExactly("ada-1", "ada-2", "ada-3");
        assertThat(finished.stream().filter(id -> id.startsWith("bob"))).containsExactly("bob-1", "bob-2");
        assertThat(processed).filteredOn("ada-1"::equals).hasSize(2);
    }

    @Test
    void aDeliveryThatKeepsFailingEndsInTheDeadLetterQueueAndBlocksNoOtherPerson() {
        String dlqUrl = elasticMq.createFifoQueue("deferred-dlq-" + UUID.randomUUID() + ".fifo");
        String redrivingUrl = elasticMq.createFifoQueue("deferred-" + UUID.randomUUID() + ".fifo", dlqUrl, 3);
        try (SqsDeferralQueue redriving = new SqsDeferralQueue(elasticMq.client(), redrivingUrl)) {
            redriving.enqueue(leadDelivery("ada@example.com", "poison"));
            redriving.enqueue(leadDelivery("bob@example.com", "bob-1"));
            alwaysFail.add("poison");

            new LambdaSqsPoller(sqs, redrivingUrl).pollUntilEmpty(consumer::consume, 20);

            assertThat(processed).filteredOn("poison"::equals).hasSize(3);
            assertThat(processed).filteredOn("bob-1"::equals).hasSize(1);
            List<Message> dead = sqs.receiveMessage(r -> r.queueUrl(dlqUrl).maxNumberOfMessages(10)).messages();
            assertThat(dead).extracting(m -> DeferredDelivery.fromJson(m.body()).deliveryId())
                    .containsExactly("poison");
        }
    }

    @Test
    void theConsumerDeadLettersADeliveryAfterItsRealAttemptsWhateverTheQueuesReceiveLimit() {
        ElasticMq.QueuePair pair = elasticMq.createFifoQueueWithDeadLetters("deferred", 50, 30);
        Map<String, Integer> realAttempts = new HashMap<>();
        try (SqsDeferralQueue redriving = new SqsDeferralQueue(elasticMq.client(), pair.queueUrl(),
                Optional.of(pair.deadLetterQueueUrl()))) {
            DeferredDeliveryConsumer counting = new DeferredDeliveryConsumer(List.of(DeferralFixtures.leadProcessor(
                    delivery -> delivery.deliveryId().equals("poison")
                            ? Disposition.retry(realAttempts.merge("poison", 1, Integer::sum))
                            : Disposition.DONE)), null, redriving, 3, Duration.ZERO);
            redriving.enqueue(leadDelivery("ada@example.com", "poison"));
            redriving.enqueue(leadDelivery("bob@example.com", "bob-1"));

            new LambdaSqsPoller(sqs, pair.queueUrl()).pollUntilEmpty(counting::consume, 20);

            assertThat(realAttempts).containsEntry("poison", 3);
            List<Message> dead = elasticMq.drain(pair.deadLetterQueueUrl());
            assertThat(dead).extracting(m -> DeferredDelivery.fromJson(m.body()).deliveryId())
                    .containsExactly("poison");
            assertThat(dead.get(0).attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID))
                    .isEqualTo(SqsDeferralQueue.groupId("email:ada@example.com"));
        }
    }

    /**
     * An operator redrives a dead-lettered delivery and it fails again within SQS's five-minute deduplication window:
     * the dead-letter queue stores it again, rather than dropping it while the consumer deletes it from its queue.
     */
    @Test
    void aDeliveryRedrivenAndDeadLetteredAgainWithinTheDeduplicationWindowIsKeptByTheDeadLetterQueue() {
        ElasticMq.QueuePair pair = elasticMq.createFifoQueueWithDeadLetters("deferred", 50, 30);
        try (SqsDeferralQueue redriving = new SqsDeferralQueue(elasticMq.client(), pair.queueUrl(),
                Optional.of(pair.deadLetterQueueUrl()))) {
            DeferredDeliveryConsumer failing = new DeferredDeliveryConsumer(List.of(DeferralFixtures.leadProcessor(
                    delivery -> Disposition.retry(1))), null, redriving, 1, Duration.ZERO);
            redriving.enqueue(leadDelivery("ada@example.com", "poison"));
            new LambdaSqsPoller(sqs, pair.queueUrl()).pollUntilEmpty(failing::consume, 5);
            List<Message> dead = elasticMq.drain(pair.deadLetterQueueUrl());
            assertThat(dead).hasSize(1);

            // the redrive: the message goes back to its queue as a new message, and fails again at once
            sqs.sendMessage(r -> r.queueUrl(pair.queueUrl()).messageBody(dead.get(0).body())
                    .messageGroupId(dead.get(0).attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID))
                    .messageDeduplicationId("redrive-" + UUID.randomUUID()));
            new LambdaSqsPoller(sqs, pair.queueUrl()).pollUntilEmpty(failing::consume, 5);

            assertThat(receiveAllFrom(pair.queueUrl())).as("deleted from its queue").isEmpty();
            assertThat(elasticMq.drain(pair.deadLetterQueueUrl())).as("dead-lettered again, not dropped")
                    .extracting(m -> DeferredDelivery.fromJson(m.body()).deliveryId()).containsExactly("poison");
        }
    }

    /** A dead-letter send repeated for one received message (its answer lost, or its delete failed) is stored once. */
    @Test
    void aDeadLetterSendRepeatedForOneMessageIsStoredOnce() {
        ElasticMq.QueuePair pair = elasticMq.createFifoQueueWithDeadLetters("deferred", 50, 30);
        try (SqsDeferralQueue redriving = new SqsDeferralQueue(elasticMq.client(), pair.queueUrl(),
                Optional.of(pair.deadLetterQueueUrl()))) {
            redriving.enqueue(leadDelivery("ada@example.com", "poison"));
            Message received = sqs.receiveMessage(r -> r.queueUrl(pair.queueUrl())
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages().get(0);
            SQSEvent.SQSMessage message = LambdaSqsPoller.event(List.of(received)).getRecords().get(0);

            assertThat(redriving.deadLetter(message)).isTrue();
            assertThat(redriving.deadLetter(message)).isTrue();

            assertThat(elasticMq.drain(pair.deadLetterQueueUrl())).hasSize(1);
        }
    }

    List<Message> receiveAllFrom(String url) {
        return sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages();
    }

    @Test
    void messagesNotStartedForLackOfTimeComeBackUntriedAndAreDoneInLaterInvocations() {
        MutableClock clock = MutableClock.at(Instant.parse("2026-03-01T10:00:00Z"));
        CallBudget budget = new CallBudget(clock, TestConfigs.intercom(Map.of("intercom.budget.reserve", "1500ms",
                "intercom.connect-timeout-ms", "2000", "intercom.read-timeout-ms", "5000")));
        List<String> started = new ArrayList<>();
        DeferredDeliveryConsumer slow = new DeferredDeliveryConsumer(List.of(DeferralFixtures.leadProcessor(
                delivery -> {
                    started.add(delivery.deliveryId());
                    clock.advance(Duration.ofSeconds(6)); // two Intercom calls of 3 s
                    return Disposition.DONE;
                })), budget, queue, 5, Duration.ZERO);
        for (String person : List.of("ada", "bob", "cy")) {
            queue.enqueue(leadDelivery(person + "@example.com", person + "-1"));
        }

        List<LambdaSqsPoller.Poll> polls = new ArrayList<>();
        LambdaSqsPoller poller = new LambdaSqsPoller(sqs, queueUrl);
        for (int invocation = 0; invocation < 3; invocation++) {
            // a 15 s Lambda: 13.5 s for Intercom covers two full attempts of 7 s, not three
            try (InvocationDeadline.Scope scope = budget.open(Duration.ofSeconds(15))) {
                polls.add(poller.pollOnce(slow::consume));
            }
        }

        assertThat(polls).extracting(LambdaSqsPoller.Poll::failed).containsExactly(1, 0, 0);
        assertThat(started).hasSize(3).doesNotHaveDuplicates();
        assertThat(receiveAll()).isEmpty();
    }

    @Test
    void aStandardQueueIsRefusedBecauseOrderAndDeduplicationNeedFifo() {
        assertThatThrownBy(() -> new SqsDeferralQueue(sqs, elasticMq.endpoint() + "/000000000000/deferred"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("FIFO");
    }

    @Test
    void aQueueThatCannotBeReachedIsReportedNotSwallowed() throws IOException {
        URI nowhere;
        try (ServerSocket socket = new ServerSocket(0)) {
            nowhere = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        try (SqsDeferralQueue unreachable = new SqsDeferralQueue(
                AwsClients.build(SqsClient.builder(), Optional.of(nowhere)), nowhere + "/000000000000/q.fifo")) {
            assertThatThrownBy(() -> unreachable.enqueue(leadDelivery("ada@example.com", "key-1")))
                    .isInstanceOf(DeferralException.class)
                    .hasMessageStartingWith("The delivery could not be queued");
        }
    }
}
