package dev.contactfunctions.reliability;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;

import dev.contactfunctions.deferral.DeferredDelivery;
import dev.contactfunctions.deferral.DeferredDeliveryConsumer;
import dev.contactfunctions.deferral.ElasticMq;
import dev.contactfunctions.deferral.LambdaSqsPoller;
import dev.contactfunctions.deferral.SqsDeferralQueue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A function's deferral queue on ElasticMQ (the real SQS protocol): a FIFO queue like the template's, redriving to a
 * dead-letter queue after {@link #MAX_RECEIVES} receives, written by the product's {@link SqsDeferralQueue}. Each
 * consumer polls it as an event source mapping poller does (batches of up to 10, in parallel); a message reported
 * failed stays invisible, holding back the rest of its person's messages, until {@link #visibilityTimeoutPassed()}.
 */
final class ElasticMqScenarioQueue implements ScenarioQueue {

    /** Longer than any scenario: a failed message comes back only when the scenario lets its timeout pass. */
    private static final int VISIBILITY_TIMEOUT_S = 3600;

    private final ElasticMq server = ElasticMq.shared();
    private final SqsClient sqs = server.client();
    private final ElasticMq.QueuePair queues;
    private final SqsDeferralQueue writer;
    private final Set<String> failedReceipts = ConcurrentHashMap.newKeySet();
    private final List<Integer> deadLetterReceives = new ArrayList<>();
    /** Per message body, how many times the deferral queue has handed the message out. */
    private final Map<String, Integer> receives = new ConcurrentHashMap<>();

    ElasticMqScenarioQueue(String function) {
        queues = server.createFifoQueueWithDeadLetters(function, MAX_RECEIVES, VISIBILITY_TIMEOUT_S);
        writer = new SqsDeferralQueue(sqs, queues.queueUrl());
    }

    @Override
    public void enqueue(DeferredDelivery delivery) {
        writer.enqueue(delivery);
    }

    @Override
    public int receiveAll(List<DeferredDeliveryConsumer> consumers) {
        AtomicInteger delivered = new AtomicInteger();
        ExecutorService pollers = Executors.newFixedThreadPool(consumers.size());
        try {
            List<Future<?>> running = new ArrayList<>();
            for (DeferredDeliveryConsumer consumer : consumers) {
                running.add(pollers.submit(() -> {
                    int done;
                    while ((done = pollOnce(consumer)) >= 0) {
                        delivered.addAndGet(done);
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

    /** One batch to the consumer: the deliveries done, or -1 when nothing was visible. */
    private int pollOnce(DeferredDeliveryConsumer consumer) {
        List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queues.queueUrl()).maxNumberOfMessages(10)
                .waitTimeSeconds(0).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        if (messages.isEmpty()) {
            return -1;
        }
        for (Message message : messages) {
            receives.merge(message.body(), 1, Integer::sum);
        }
        SQSBatchResponse response = consumer.consume(LambdaSqsPoller.event(messages));
        Set<String> failed = new HashSet<>();
        response.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
        for (Message message : messages) {
            if (failed.contains(message.messageId())) {
                failedReceipts.add(message.receiptHandle());
            } else {
                sqs.deleteMessage(r -> r.queueUrl(queues.queueUrl()).receiptHandle(message.receiptHandle()));
            }
        }
        return messages.size() - failed.size();
    }

    @Override
    public void visibilityTimeoutPassed() {
        for (String receipt : List.copyOf(failedReceipts)) {
            sqs.changeMessageVisibility(r -> r.queueUrl(queues.queueUrl()).receiptHandle(receipt)
                    .visibilityTimeout(0));
            failedReceipts.remove(receipt);
        }
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
        }
        return List.copyOf(deadLetterReceives);
    }
}
