package dev.contactfunctions.reliability;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;

import dev.contactfunctions.deferral.DeferredDelivery;
import dev.contactfunctions.deferral.ElasticMq;
import dev.contactfunctions.deferral.LambdaSqsPoller;
import dev.contactfunctions.deferral.SqsDeferralQueue;
import dev.contactfunctions.sandbox.MutableClock;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A function's deferral queue on ElasticMQ (the real SQS protocol): a FIFO queue like the template's, with its FIFO
 * dead-letter queue, written and dead-lettered by the product's {@link SqsDeferralQueue}. ElasticMQ keeps the order per
 * person (a message in flight holds back the rest of its group), the receive counts and the deduplication; the times
 * are the sandbox's: ElasticMQ hides a received message for an hour of real time, and this queue makes it visible
 * again when the sandbox's clock reaches the time SQS would have (the template's delay for a new message, its
 * visibility timeout for a failed one, the consumer's {@link #returnAfter} delay for one it gave back).
 *
 * <p>A new message is visible at once on ElasticMQ; one received before the template's delay has passed on the
 * sandbox's clock is hidden again unseen, and that receive is taken off the count the consumer reads.
 */
final class ElasticMqScenarioQueue implements ScenarioQueue {

    /** Real time: longer than any scenario, so that only this queue decides when a received message comes back. */
    private static final int HIDDEN_S = 3600;

    private final ElasticMq server = ElasticMq.shared();
    private final SqsClient sqs = server.client();
    private final ElasticMq.QueuePair queues;
    private final SqsDeferralQueue product;
    private final MutableClock clock;
    /** Per message body: when the template's delay lets it be seen. */
    private final Map<String, Instant> firstVisible = new ConcurrentHashMap<>();
    /** Per receipt handle of a message received and not deleted: when it is visible again. */
    private final Map<String, Instant> hiddenUntil = new ConcurrentHashMap<>();
    /** Per message body: the receives ElasticMQ counted before the message could be seen. */
    private final Map<String, Integer> unseenReceives = new ConcurrentHashMap<>();
    /** Per message body, how many times the consumers were handed the message. */
    private final Map<String, Integer> receives = new ConcurrentHashMap<>();
    private final List<Integer> deadLetterReceives = new ArrayList<>();
    private final List<String> deadLetteredBodies = new ArrayList<>();

    ElasticMqScenarioQueue(String function, MutableClock clock) {
        this.clock = clock;
        // the template's backstop redrive count; the consumer dead-letters first, after its real attempts
        queues = server.createFifoQueueWithDeadLetters(function, 100, HIDDEN_S);
        product = new SqsDeferralQueue(sqs, queues.queueUrl(), Optional.of(queues.deadLetterQueueUrl()));
    }

    @Override
    public void enqueue(DeferredDelivery delivery) {
        firstVisible.putIfAbsent(delivery.toJson(), clock.instant().plus(QUEUE_DELAY));
        product.enqueue(delivery);
    }

    @Override
    public void returnAfter(SQSEvent.SQSMessage message, Duration delay) {
        // rounded up to whole seconds, as SqsDeferralQueue asks SQS
        long seconds = Math.max(0, delay.toSeconds() + (delay.toMillisPart() > 0 ? 1 : 0));
        hiddenUntil.put(message.getReceiptHandle(), clock.instant().plusSeconds(seconds));
    }

    @Override
    public boolean deadLetter(SQSEvent.SQSMessage message) {
        return product.deadLetter(message);
    }

    /** The messages whose time has come are visible again. */
    void releaseDue() {
        Instant now = clock.instant();
        for (Map.Entry<String, Instant> hidden : List.copyOf(hiddenUntil.entrySet())) {
            if (!hidden.getValue().isAfter(now) && hiddenUntil.remove(hidden.getKey(), hidden.getValue())) {
                sqs.changeMessageVisibility(r -> r.queueUrl(queues.queueUrl()).receiptHandle(hidden.getKey())
                        .visibilityTimeout(0));
            }
        }
    }

    @Override
    public int receiveAll(List<Function<SQSEvent, SQSBatchResponse>> invocations) {
        releaseDue();
        AtomicInteger delivered = new AtomicInteger();
        ExecutorService pollers = Executors.newFixedThreadPool(invocations.size());
        try {
            List<Future<?>> running = new ArrayList<>();
            for (Function<SQSEvent, SQSBatchResponse> invocation : invocations) {
                running.add(pollers.submit(() -> {
                    Batch batch;
                    while ((batch = receive(BATCH_SIZE)) != null) {
                        delivered.addAndGet(settle(batch, batch.event.getRecords().isEmpty() ? null
                                : invocation.apply(batch.event), false));
                    }
                }));
            }
            for (Future<?> poller : running) {
                poller.get(10, TimeUnit.MINUTES);
            }
        } catch (Exception e) {
            throw new IllegalStateException("a queue poller failed", e);
        } finally {
            pollers.shutdownNow();
        }
        return delivered.get();
    }

    /** Messages received in one poll: the event the consumer is handed (the ones it may see), the rest hidden again. */
    record Batch(SQSEvent event, List<Message> messages) {
    }

    /**
     * Receives up to {@code max} messages visible now, as one event: null when ElasticMQ had none visible. A message
     * whose delay has not passed on the sandbox's clock is hidden again and left out of the event.
     */
    Batch receive(int max) {
        releaseDue();
        List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queues.queueUrl()).maxNumberOfMessages(max)
                .waitTimeSeconds(0).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        if (messages.isEmpty()) {
            return null;
        }
        Instant now = clock.instant();
        List<Message> seen = new ArrayList<>();
        for (Message message : messages) {
            Instant visible = firstVisible.getOrDefault(message.body(), now);
            if (visible.isAfter(now)) {
                unseenReceives.merge(message.body(), 1, Integer::sum);
                hiddenUntil.put(message.receiptHandle(), visible);
                continue;
            }
            receives.merge(message.body(), 1, Integer::sum);
            int unseen = unseenReceives.getOrDefault(message.body(), 0);
            Map<MessageSystemAttributeName, String> attributes = new HashMap<>(message.attributes());
            String count = attributes.get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
            if (count != null && unseen > 0) {
                attributes.put(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                        Integer.toString(Integer.parseInt(count) - unseen));
            }
            seen.add(message.toBuilder().attributes(attributes).build());
        }
        return new Batch(LambdaSqsPoller.event(seen), seen);
    }

    /**
     * Carries out the event source mapping's part after an invocation: deletes what the consumer reported done
     * (unless {@code deleteLost}: the delete's answer was lost and SQS will hand the message out again), and hides
     * the failed ones until their visibility timeout on the sandbox's clock, unless the consumer returned them sooner.
     * A null response is an invocation that never answered: every message of the batch comes back after the timeout.
     * Answers the messages deleted.
     */
    int settle(Batch batch, SQSBatchResponse response, boolean deleteLost) {
        Set<String> failed = new HashSet<>();
        if (response == null) {
            batch.messages.forEach(m -> failed.add(m.messageId()));
        } else {
            response.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
        }
        Instant timeout = clock.instant().plus(VISIBILITY_TIMEOUT);
        int deleted = 0;
        for (Message message : batch.messages) {
            if (failed.contains(message.messageId()) || deleteLost) {
                hiddenUntil.putIfAbsent(message.receiptHandle(), timeout);
            } else {
                hiddenUntil.remove(message.receiptHandle());
                sqs.deleteMessage(r -> r.queueUrl(queues.queueUrl()).receiptHandle(message.receiptHandle()));
                deleted++;
            }
        }
        return deleted;
    }

    /** When the next message that cannot be seen now (delayed, or hidden after a receive) can be, if one is waiting. */
    Optional<Instant> nextReturn() {
        Instant now = clock.instant();
        return java.util.stream.Stream.concat(hiddenUntil.values().stream(),
                firstVisible.values().stream().filter(at -> at.isAfter(now))).min(Instant::compareTo);
    }

    @Override
    public int waiting() {
        Map<QueueAttributeName, String> counts = sqs.getQueueAttributes(r -> r.queueUrl(queues.queueUrl())
                .attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return counts.values().stream().mapToInt(Integer::parseInt).sum();
    }

    @Override
    public synchronized List<Integer> deadLetterReceives() {
        for (Message message : server.drain(queues.deadLetterQueueUrl())) {
            deadLetterReceives.add(receives.getOrDefault(message.body(), 0));
            deadLetteredBodies.add(message.body());
        }
        return List.copyOf(deadLetterReceives);
    }

    /** The bodies of every message dead-lettered so far. */
    synchronized List<String> deadLetteredBodies() {
        deadLetterReceives();
        return List.copyOf(deadLetteredBodies);
    }

    @Override
    public void close() {
        sqs.close();
    }
}
