package dev.contactfunctions.deferral;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

import org.jboss.logging.Logger;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The deferral queue on SQS. It must be a FIFO queue: the message group is the person (so one person's deliveries
 * are processed in order, one at a time) and the deduplication id is the delivery id (so a delivery queued twice within
 * SQS's five-minute window is stored once). Both are SHA-256 hex digests: the group id is visible in SQS metadata and
 * must not show an email address, and both have to fit SQS's 128-character alphabet whatever the sender sent.
 */
public final class SqsDeferralQueue implements DeferralQueue, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SqsDeferralQueue.class);

    /** SQS's longest visibility timeout, in seconds. */
    private static final long MAX_VISIBILITY_SECONDS = 43_200;

    private final SqsClient sqs;
    private final String queueUrl;
    private final Optional<String> deadLetterQueueUrl;

    public SqsDeferralQueue(SqsClient sqs, String queueUrl) {
        this(sqs, queueUrl, Optional.empty());
    }

    public SqsDeferralQueue(SqsClient sqs, String queueUrl, Optional<String> deadLetterQueueUrl) {
        if (!queueUrl.endsWith(".fifo")) {
            throw new IllegalStateException("The deferral queue must be a FIFO queue (its URL ends in .fifo): "
                    + "per-person order and deduplication depend on it");
        }
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.deadLetterQueueUrl = deadLetterQueueUrl.filter(url -> !url.isBlank());
    }

    @Override
    public void enqueue(DeferredDelivery delivery) {
        try {
            sqs.sendMessage(r -> r.queueUrl(queueUrl)
                    .messageBody(delivery.toJson())
                    .messageGroupId(groupId(delivery.identity()))
                    .messageDeduplicationId(deduplicationId(delivery.deliveryId())));
        } catch (SdkException e) {
            throw new DeferralException("The delivery could not be queued: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public void returnAfter(SQSEvent.SQSMessage message, Duration delay) {
        try {
            // rounded up: a message must not come back before it can succeed
            long seconds = Math.min(MAX_VISIBILITY_SECONDS,
                    Math.max(0, delay.toSeconds() + (delay.toMillisPart() > 0 ? 1 : 0)));
            sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(message.getReceiptHandle())
                    .visibilityTimeout((int) seconds));
        } catch (SdkException e) {
            LOG.warnf("message %s keeps the queue's visibility timeout (%s)", message.getMessageId(),
                    e.getClass().getSimpleName());
        }
    }

    @Override
    public boolean deadLetter(SQSEvent.SQSMessage message) {
        if (deadLetterQueueUrl.isEmpty()) {
            return false;
        }
        DeferredDelivery delivery = DeferredDelivery.fromJson(message.getBody());
        try {
            // the same group; a deduplication id of this message, not of the delivery: a send repeated for this message
            // (after a lost answer, or a failed delete) is stored once, while the same delivery redriven and
            // dead-lettered again within SQS's deduplication window is stored again rather than dropped
            sqs.sendMessage(r -> r.queueUrl(deadLetterQueueUrl.get())
                    .messageBody(message.getBody())
                    .messageGroupId(groupId(delivery.identity()))
                    .messageDeduplicationId(deadLetterDeduplicationId(delivery.deliveryId(), message.getMessageId())));
            return true;
        } catch (SdkException e) {
            throw new DeferralException("The delivery could not be dead-lettered: " + e.getClass().getSimpleName(), e);
        }
    }

    static String groupId(String identity) {
        return sha256("identity:" + identity);
    }

    static String deduplicationId(String deliveryId) {
        return sha256("delivery:" + deliveryId);
    }

    /** One dead-lettering: of this delivery, received as this message. */
    static String deadLetterDeduplicationId(String deliveryId, String messageId) {
        return sha256("dead-letter:" + deliveryId + ":" + messageId);
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        sqs.close();
    }
}
