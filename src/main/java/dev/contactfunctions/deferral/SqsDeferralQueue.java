package dev.contactfunctions.deferral;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The deferral queue on SQS. It must be a FIFO queue: the message group is the person (so one person's deliveries
 * are processed in order, one at a time) and the deduplication id is the delivery id (so a delivery queued twice within
 * SQS's five-minute window is stored once). Both are SHA-256 hex digests: the group id is visible in SQS metadata and
 * must not show an email address, and both have to fit SQS's 128-character alphabet whatever the sender sent.
 */
public final class SqsDeferralQueue implements DeferralQueue, AutoCloseable {

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsDeferralQueue(SqsClient sqs, String queueUrl) {
        if (!queueUrl.endsWith(".fifo")) {
            throw new IllegalStateException("The deferral queue must be a FIFO queue (its URL ends in .fifo): "
                    + "per-person order and deduplication depend on it");
        }
        this.sqs = sqs;
        this.queueUrl = queueUrl;
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

    static String groupId(String identity) {
        return sha256("identity:" + identity);
    }

    static String deduplicationId(String deliveryId) {
        return sha256("delivery:" + deliveryId);
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
