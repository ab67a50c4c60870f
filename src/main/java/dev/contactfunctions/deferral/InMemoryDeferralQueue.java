package dev.contactfunctions.deferral;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import org.jboss.logging.Logger;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;

/**
 * The deferral queue of the local run (and of tests): one instance's memory, FIFO per person, deduplicated by
 * delivery id while a delivery waits. {@link #drain} hands the waiting deliveries to the consumer in the shape the
 * Lambda SQS poller uses, and keeps those that failed, like SQS would, until {@link #MAX_RECEIVES} receives, after
 * which they move to {@link #deadLetters()}.
 */
@ApplicationScoped
@Typed(InMemoryDeferralQueue.class)
public class InMemoryDeferralQueue implements DeferralQueue {

    private static final Logger LOG = Logger.getLogger(InMemoryDeferralQueue.class);
    public static final int MAX_RECEIVES = 5;

    private final Map<String, Waiting> waiting = new LinkedHashMap<>();
    private final List<DeferredDelivery> deadLetters = new ArrayList<>();
    private final AtomicLong sequence = new AtomicLong();

    @Override
    public synchronized void enqueue(DeferredDelivery delivery) {
        // like SQS FIFO deduplication: the same delivery id while it waits is stored once
        waiting.putIfAbsent(delivery.deliveryId(), new Waiting("local-" + sequence.incrementAndGet(), delivery, 0));
    }

    /** Moves the delivery to the dead letters (the drain then drops it from the waiting ones, as SQS would). */
    @Override
    public synchronized boolean deadLetter(SQSEvent.SQSMessage message) {
        DeferredDelivery delivery = DeferredDelivery.fromJson(message.getBody());
        deadLetters.add(delivery);
        LOG.errorf("%s was dead-lettered by its consumer", delivery);
        return true;
    }

    /** The deliveries waiting, oldest first. */
    public synchronized List<DeferredDelivery> waiting() {
        return waiting.values().stream().map(Waiting::delivery).toList();
    }

    public synchronized List<DeferredDelivery> deadLetters() {
        return List.copyOf(deadLetters);
    }

    /** Drops every waiting and dead-lettered delivery: for tests that share one queue. */
    public synchronized void clear() {
        waiting.clear();
        deadLetters.clear();
    }

    /** Passes every waiting delivery to the consumer as one batch; keeps the failed ones for the next drain. */
    public DrainResult drain(DeferredDeliveryConsumer consumer) {
        Map<String, Waiting> batch = new LinkedHashMap<>();
        int deadBefore;
        synchronized (this) {
            deadBefore = deadLetters.size();
            for (Waiting entry : waiting.values()) {
                Waiting received = entry.received();
                batch.put(received.messageId(), received);
                waiting.put(received.delivery().deliveryId(), received);
            }
        }
        if (batch.isEmpty()) {
            return new DrainResult(0, 0, 0);
        }
        SQSBatchResponse response = consumer.consume(asEvent(batch.values()));
        Set<String> failed = new HashSet<>();
        response.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
        int deadLettered;
        int byConsumer;
        synchronized (this) {
            byConsumer = deadLetters.size() - deadBefore;
            deadLettered = byConsumer;
            for (Waiting entry : batch.values()) {
                if (!failed.contains(entry.messageId())) {
                    waiting.remove(entry.delivery().deliveryId());
                } else if (entry.receives() >= MAX_RECEIVES) {
                    waiting.remove(entry.delivery().deliveryId());
                    deadLetters.add(entry.delivery());
                    deadLettered++;
                    LOG.errorf("%s failed %d times and was dead-lettered", entry.delivery(), entry.receives());
                }
            }
        }
        return new DrainResult(batch.size() - failed.size() - byConsumer, failed.size() - deadLettered + byConsumer,
                deadLettered);
    }

    private static SQSEvent asEvent(Iterable<Waiting> entries) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Waiting entry : entries) {
            SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
            message.setMessageId(entry.messageId());
            message.setBody(entry.delivery().toJson());
            message.setEventSource("aws:sqs");
            Map<String, String> attributes = new HashMap<>();
            attributes.put(SqsBatches.MESSAGE_GROUP_ID, SqsDeferralQueue.groupId(entry.delivery().identity()));
            attributes.put(DeferredDeliveryConsumer.RECEIVE_COUNT, Integer.toString(entry.receives()));
            message.setAttributes(attributes);
            records.add(message);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    /** Of one drain: deliveries done, left waiting for the next drain, and moved to the dead letters. */
    public record DrainResult(int delivered, int retrying, int deadLettered) {
    }

    private record Waiting(String messageId, DeferredDelivery delivery, int receives) {
        Waiting received() {
            return new Waiting(messageId, delivery, receives + 1);
        }
    }
}
