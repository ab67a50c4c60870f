package dev.contactfunctions.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.deferral.DeferredDelivery;

/**
 * SQS events of the deferral queue as the Lambda SQS poller hands them to a function: the committed
 * {@code infra/events/lead-capture-deferred.json}, its one record repeated for each delivery (body, message id, FIFO
 * group of the person, deduplication id, receive count). And the message ids a partial batch response reports failed.
 */
public final class QueueBatches {

    public static final Path COMMITTED = Path.of("infra/events/lead-capture-deferred.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private QueueBatches() {
    }

    public static String of(List<DeferredDelivery> deliveries, int receiveCount) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(Files.readString(COMMITTED));
            ObjectNode template = (ObjectNode) root.get("Records").get(0);
            ArrayNode records = root.putArray("Records");
            for (DeferredDelivery delivery : deliveries) {
                ObjectNode record = template.deepCopy();
                record.put("messageId", UUID.randomUUID().toString());
                record.put("body", delivery.toJson());
                ((ObjectNode) record.get("attributes"))
                        .put("MessageGroupId", sha256("identity:" + delivery.identity()))
                        .put("MessageDeduplicationId", sha256("delivery:" + delivery.deliveryId()))
                        .put("ApproximateReceiveCount", Integer.toString(receiveCount));
                records.add(record);
            }
            return root.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + COMMITTED.toAbsolutePath(), e);
        }
    }

    /** The deliveries in a batch, read back from the message bodies. */
    public static List<DeferredDelivery> deliveries(String batch) {
        List<DeferredDelivery> deliveries = new ArrayList<>();
        read(batch).path("Records").forEach(r -> deliveries.add(DeferredDelivery.fromJson(r.path("body").asText())));
        return deliveries;
    }

    public static String messageId(String batch, int index) {
        return read(batch).path("Records").get(index).path("messageId").asText();
    }

    /** The message ids a partial batch response ({@code {"batchItemFailures": [...]}}) reports failed. */
    public static List<String> failedMessageIds(JsonNode batchResponse) {
        List<String> ids = new ArrayList<>();
        batchResponse.path("batchItemFailures").forEach(f -> ids.add(f.path("itemIdentifier").asText()));
        return ids;
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
