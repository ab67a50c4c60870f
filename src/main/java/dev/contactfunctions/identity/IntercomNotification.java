package dev.contactfunctions.identity;

import static dev.contactfunctions.webhook.BodyFields.text;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.intercom.model.Contact;
import dev.contactfunctions.webhook.WebhookException;

/**
 * An Intercom webhook notification ({@code type: notification_event}, contract.md §13.2). Only the envelope is
 * required; {@code data.item} is read as a contact when its {@code type} is {@code contact}.
 *
 * @param id the notification id ({@code notif_...}): the idempotency key of a delivery
 * @param itemType {@code data.item.type} ({@code contact}, {@code ping}, ...), or null
 * @param contact {@code data.item} when it is a contact, else null
 */
public record IntercomNotification(String type, String id, String topic, String appId, Long createdAt,
        Integer deliveryAttempts, String itemType, Contact contact) {

    public static final String TYPE = "notification_event";
    public static final String TOPIC_PING = "ping";
    public static final String TOPIC_USER_CREATED = "contact.user.created";
    public static final String TOPIC_LEAD_SIGNED_UP = "contact.lead.signed_up";

    private static final ObjectMapper JSON = new ObjectMapper();

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
        JsonNode item = body.path("data").path("item");
        String itemType = item.isObject() ? text((ObjectNode) item, "type") : null;
        Contact contact = "contact".equals(itemType) ? contact((ObjectNode) item) : null;
        return new IntercomNotification(type, id, topic, text(body, "app_id"), number(body.get("created_at")),
                body.path("delivery_attempts").isIntegralNumber() ? body.get("delivery_attempts").intValue() : null,
                itemType, contact);
    }

    /** The contact as Intercom sent it; if some field has an unexpected shape, its identifying fields only. */
    private static Contact contact(ObjectNode item) {
        try {
            return JSON.treeToValue(item, Contact.class);
        } catch (Exception e) {
            return new Contact(text(item, "id"), text(item, "role"), text(item, "external_id"), text(item, "email"),
                    null, null, number(item.get("created_at")), null, null, null, null, null);
        }
    }

    private static Long number(JsonNode value) {
        return value != null && value.isIntegralNumber() ? value.longValue() : null;
    }
}
