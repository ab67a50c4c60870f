package dev.contactfunctions.deferral;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.invocation.JsonMapping;
import dev.contactfunctions.invocation.LogLine;

/**
 * A validated webhook request that Intercom could not take within the response budget, waiting on the deferral
 * queue. It carries what the function needs to finish the work later, never the raw (signed) request.
 *
 * @param route           the function route that will process it (e.g. {@code lead-capture})
 * @param payload         the normalized, validated request as JSON
 * @param identity        the person's ledger identity, a pseudonym ({@code email:<hash>}, {@code external_id:<hash>}):
 *                        its FIFO group
 * @param deliveryId      the delivery's idempotency key: its deduplication id and delivery-ledger key
 * @param firstReceivedAt when the webhook first received it
 * @param attempt         the number of the processing attempt: 1 for the webhook's own, then one more per receive
 */
public record DeferredDelivery(String route, JsonNode payload, String identity, String deliveryId,
        Instant firstReceivedAt, int attempt) {


    public DeferredDelivery {
        requireText(route, "route");
        requireText(identity, "identity");
        requireText(deliveryId, "delivery_id");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(firstReceivedAt, "first_received_at");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1");
        }
    }

    /** A request deferred by the webhook that received it: its first attempt. */
    public static DeferredDelivery first(String route, JsonNode payload, String identity, String deliveryId,
            Instant receivedAt) {
        return new DeferredDelivery(route, payload, identity, deliveryId, receivedAt, 1);
    }

    public DeferredDelivery withAttempt(int attempt) {
        return new DeferredDelivery(route, payload, identity, deliveryId, firstReceivedAt, attempt);
    }

    public String toJson() {
        ObjectNode node = JsonMapping.mapper().createObjectNode();
        node.put("route", route);
        node.set("payload", payload);
        node.put("identity", identity);
        node.put("delivery_id", deliveryId);
        node.put("first_received_at", firstReceivedAt.toString());
        node.put("attempt", attempt);
        try {
            return JsonMapping.mapper().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("deferred delivery could not be serialized", e);
        }
    }

    /** Reads a queue message body; throws {@link IllegalArgumentException} naming what is wrong with it. */
    public static DeferredDelivery fromJson(String json) {
        JsonNode node;
        try {
            node = JsonMapping.mapper().readTree(json == null ? "" : json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the message body is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("the message body is not a JSON object");
        }
        JsonNode payload = node.get("payload");
        if (payload == null || payload.isNull()) {
            throw new IllegalArgumentException("payload is missing");
        }
        Instant receivedAt;
        try {
            receivedAt = Instant.parse(text(node, "first_received_at"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("first_received_at is not an ISO-8601 instant");
        }
        JsonNode attempt = node.get("attempt");
        if (attempt == null || !attempt.canConvertToInt()) {
            throw new IllegalArgumentException("attempt is missing or not a number");
        }
        return new DeferredDelivery(text(node, "route"), payload, text(node, "identity"), text(node, "delivery_id"),
                receivedAt, attempt.intValue());
    }

    /**
     * Log-safe: the identity is a pseudonym; the payload, which holds an email address, is left out; the delivery id,
     * which the sender chose, is quoted when it is not one plain word.
     */
    @Override
    public String toString() {
        return "DeferredDelivery[route=" + LogLine.quote(route) + ", deliveryId=" + LogLine.quote(deliveryId)
                + ", identity=" + LogLine.quote(identity) + ", firstReceivedAt=" + firstReceivedAt + ", attempt="
                + attempt + "]";
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(field + " is missing or not a string");
        }
        return value.asText();
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
    }
}
