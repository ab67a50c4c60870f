package dev.contactfunctions.identity;

import static dev.contactfunctions.webhook.BodyFields.text;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.intercom.model.Contact;
import dev.contactfunctions.invocation.JsonMapping;
import dev.contactfunctions.webhook.WebhookException;

/**
 * An Intercom webhook notification ({@code type: notification_event}, contract.md §13.2). Only the envelope is
 * required; {@code data.item} is read as a contact when its {@code type} is {@code contact}.
 *
 * @param id the notification id ({@code notif_...}): the idempotency key of a delivery
 * @param createdAt when Intercom created the notification, Unix seconds on Intercom's clock (a retry keeps it)
 * @param itemType {@code data.item.type} ({@code contact}, {@code ping}, ...), or null
 * @param contact {@code data.item} when it is a contact, else null
 */
public record IntercomNotification(String type, String id, String topic, String appId, Long createdAt,
        Integer deliveryAttempts, String itemType, Contact contact) {

    public static final String TYPE = "notification_event";
    public static final String TOPIC_PING = "ping";
    public static final String TOPIC_USER_CREATED = "contact.user.created";
    public static final String TOPIC_LEAD_SIGNED_UP = "contact.lead.signed_up";
    /** How far ahead of our clock Intercom's may be: a notification dated later than this is not processed. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);


    public Optional<Contact> contactOptional() {
        return Optional.ofNullable(contact);
    }

    public static IntercomNotification from(ObjectNode body) {
        String type = text(body, "type");
        if (!TYPE.equals(type)) {
            throw WebhookException.invalid("type", "type must be " + TYPE);
        }
        String id = text(body, "id");
        if (id == null || id.isBlank()) {
            throw new WebhookException(400, "missing_field", "id (the notification id) is required", "id");
        }
        String topic = text(body, "topic");
        if (topic == null || topic.isBlank()) {
            throw new WebhookException(400, "missing_field", "topic is required", "topic");
        }
        Long createdAt = number(body.get("created_at"));
        if (createdAt == null) {
            throw body.hasNonNull("created_at")
                    ? new WebhookException(400, "invalid_type", "created_at must be Unix seconds", "created_at")
                    : new WebhookException(400, "missing_field", "created_at (when Intercom created the notification)"
                            + " is required", "created_at");
        }
        JsonNode item = body.path("data").path("item");
        String itemType = item.isObject() ? text((ObjectNode) item, "type") : null;
        Contact contact = "contact".equals(itemType) ? contact((ObjectNode) item) : null;
        return new IntercomNotification(type, id, topic, text(body, "app_id"), createdAt,
                body.path("delivery_attempts").isIntegralNumber() ? body.get("delivery_attempts").intValue() : null,
                itemType, contact);
    }

    /**
     * Why this notification is not processed when received at {@code now}, or empty when it may be: created more than
     * {@code maxAge} ago ({@code stale_notification}: a replay, or one Intercom would have dropped), or dated more than
     * {@link #CLOCK_SKEW} ahead ({@code future_notification}: it would stay fresh for as long as it is dated ahead).
     * Compared in whole seconds, so that no value sent can overflow a date.
     */
    public Optional<String> outsideWindow(Instant now, Duration maxAge) {
        long seconds = now.getEpochSecond();
        if (createdAt < seconds - maxAge.getSeconds()) {
            return Optional.of("stale_notification");
        }
        if (createdAt > seconds + CLOCK_SKEW.getSeconds()) {
            return Optional.of("future_notification");
        }
        return Optional.empty();
    }

    /** The contact as Intercom sent it; if some field has an unexpected shape, its identifying fields only. */
    private static Contact contact(ObjectNode item) {
        try {
            return JsonMapping.mapper().treeToValue(item, Contact.class);
        } catch (Exception e) {
            return new Contact(text(item, "id"), text(item, "role"), text(item, "external_id"), text(item, "email"),
                    null, null, number(item.get("created_at")), null, null, null, null, null);
        }
    }

    private static Long number(JsonNode value) {
        return value != null && value.isIntegralNumber() ? value.longValue() : null;
    }
}
