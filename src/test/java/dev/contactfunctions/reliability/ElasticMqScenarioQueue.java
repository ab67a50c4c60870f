package dev.contactfunctions.reliability;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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

    private final SqsClient sqs;
    private final String queueUrl;
    private final String deadLetterUrl;
    private final SqsDeferralQueue writer;
    private final Set<String> failedReceipts = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final List<Integer> deadLetterReceives = new ArrayList<>();

    ElasticMqScenarioQueue(String function) {
        ElasticMq server = ElasticMq.shared();
        String name = function + "-" + UUID.randomUUID().toString().substring(0, 8);
        deadLetterUrl = server.createFifoQueue(name + "-dlq.fifo");
        queueUrl = server.createFifoQueue(name + ".fifo", deadLetterUrl, MAX_RECEIVES);
        sqs = server.client();
        sqs.setQueueAttributes(r -> r.queueUrl(queueUrl).attributes(
                Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(VISIBILITY_TIMEOUT_S))));
        writer = new SqsDeferralQueue(sqs, queueUrl);
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
        List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                .waitTimeSeconds(0).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        if (messages.isEmpty()) {
            return -1;
        }
        SQSBatchResponse response = consumer.consume(LambdaSqsPoller.event(messages));
        Set<String> failed = new HashSet<>();
        response.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
        for (Message message : messages) {
            if (failed.contains(message.messageId())) {
                failedReceipts.add(message.receiptHandle());
            } else {
                sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        }
        return messages.size() - failed.size();
    }

    @Override
    public void visibilityTimeoutPassed() {
        for (String receipt : List.copyOf(failedReceipts)) {
            sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(receipt).visibilityTimeout(0));
            failedReceipts.remove(receipt);
        }
    }

    @Override
    public int waiting() {
        Map<QueueAttributeName, String> counts = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return counts.values().stream().mapToInt(Integer::parseInt).sum();
    }

    @Override
    public synchronized List<Integer> deadLetterReceives() {
        List<Message> messages;
        do {
            messages = sqs.receiveMessage(r -> r.queueUrl(deadLetterUrl).maxNumberOfMessages(10).waitTimeSeconds(0)
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
            for (Message message : messages) {
                // the count the message had on the deferral queue, plus this receive from the dead letters
                deadLetterReceives.add(Integer.parseInt(message.attributesAsStrings()
                        .get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT.toString())) - 1);
                sqs.deleteMessage(r -> r.queueUrl(deadLetterUrl).receiptHandle(message.receiptHandle()));
            }
        } while (!messages.isEmpty());
        return List.copyOf(deadLetterReceives);
    }
}
