package dev.contactfunctions.identity;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.identifiers.Emails;
import dev.contactfunctions.webhook.BodyFields;
import dev.contactfunctions.webhook.WebhookException;

/**
 * A validated {@code POST /webhooks/identify} body: someone signed up or logged in to the customer's app.
 *
 * @param externalId the app's own user id (required)
 * @param email normalized (trimmed, lower-cased), or null
 * @param signedUpAt Unix seconds, or null
 * @param customAttributes scalar values (String, Long, Double, Boolean) by attribute name; never null
 * @param leadId the Intercom id of the lead the Messenger knew this person as, or null
 */
public record IdentifyRequest(String externalId, String email, String name, String phone, Long signedUpAt,
        Map<String, Object> customAttributes, String leadId) {

    static final int MAX_TEXT = 255;
    static final int MAX_ID = 64;
    static final int MAX_ATTRIBUTES = 100;
    /** Seconds past this (year 5138) are certainly milliseconds. */
    static final long MAX_SECONDS = 99_999_999_999L;
    private static final Set<String> FIELDS = Set.of("external_id", "email", "name", "phone", "signed_up_at",
            "custom_attributes", "lead_id");

    public IdentifyRequest {
        customAttributes = customAttributes == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(customAttributes));
    }

    public Optional<String> emailOptional() {
        return Optional.ofNullable(email);
    }

    public Optional<String> leadIdOptional() {
        return Optional.ofNullable(leadId);
    }

    /** Validates a parsed body; a {@link WebhookException} (400) names the first offending field. */
    public static IdentifyRequest from(ObjectNode body) {
        BodyFields.firstUnknown(body, FIELDS).ifPresent(name -> {
            throw new WebhookException(400, "unknown_field", "Unknown field " + name + "; accepted: "
                    + String.join(", ", FIELDS.stream().sorted().toList()), name);
        });
        String externalId = text(body, "external_id", MAX_TEXT);
        if (externalId == null) {
            throw new WebhookException(400, "missing_field", "external_id is required", "external_id");
        }
        if (!externalId.equals(externalId.strip())) {
            throw WebhookException.invalid("external_id", "external_id must not start or end with whitespace");
        }
        String email = Emails.normalize(text(body, "email", Emails.MAX_LENGTH));
        if (email != null && !Emails.isValid(email)) {
            throw new WebhookException(400, "invalid_email", "email is not a valid address", "email");
        }
        String leadId = text(body, "lead_id", MAX_ID);
        return new IdentifyRequest(externalId, email, text(body, "name", MAX_TEXT), text(body, "phone", MAX_TEXT),
                seconds(body, "signed_up_at"), customAttributes(body), leadId);
    }

    /**
     * The request as a canonical JSON body (what waits on the deferral queue, and what its fingerprint is taken of):
     * {@code from(toBody())} gives this request back.
     */
    public ObjectNode toBody() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("external_id", externalId);
        BodyFields.putIfPresent(body, "email", email);
        BodyFields.putIfPresent(body, "name", name);
        BodyFields.putIfPresent(body, "phone", phone);
        if (signedUpAt != null) {
            body.put("signed_up_at", signedUpAt);
        }
        BodyFields.putScalars(body, "custom_attributes", customAttributes);
        BodyFields.putIfPresent(body, "lead_id", leadId);
        return body;
    }

    /** A string field: absent or null gives null; another type or a blank string is refused. */
    private static String text(ObjectNode body, String field, int maxLength) {
        JsonNode node = BodyFields.given(body, field);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            throw wrongType(field, "a string", node);
        }
        String value = node.textValue();
        if (value.isBlank()) {
            throw WebhookException.invalid(field, field + " must not be blank");
        }
        if (value.length() > maxLength) {
            throw new WebhookException(400, "field_too_long", field + " is longer than " + maxLength + " characters",
                    field);
        }
        return value;
    }

    private static Long seconds(ObjectNode body, String field) {
        JsonNode node = BodyFields.given(body, field);
        if (node == null) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw wrongType(field, "an integer (Unix seconds)", node);
        }
        long value = node.longValue();
        if (value < 0) {
            throw WebhookException.invalid(field, field + " must not be negative");
        }
        if (value > MAX_SECONDS) {
            throw WebhookException.invalid(field, field + " looks like milliseconds; send Unix seconds");
        }
        return value;
    }

    private static Map<String, Object> customAttributes(ObjectNode body) {
        JsonNode node = BodyFields.given(body, "custom_attributes");
        if (node == null) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw wrongType("custom_attributes", "an object", node);
        }
        if (node.size() > MAX_ATTRIBUTES) {
            throw WebhookException.invalid("custom_attributes",
                    "custom_attributes has " + node.size() + " entries; at most " + MAX_ATTRIBUTES);
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            String field = "custom_attributes." + entry.getKey();
            if (entry.getKey().isBlank()) {
                throw WebhookException.invalid("custom_attributes", "a custom attribute name is blank");
            }
            attributes.put(entry.getKey(), scalar(field, entry.getValue()));
        }
        return attributes;
    }

    private static Object scalar(String field, JsonNode value) {
        if (value.isTextual()) {
            if (value.textValue().length() > MAX_TEXT) {
                throw new WebhookException(400, "field_too_long", field + " is longer than " + MAX_TEXT + " characters",
                        field);
            }
            return value.textValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.longValue();
        }
        if (value.isFloatingPointNumber() && Double.isFinite(value.doubleValue())) {
            return value.doubleValue(); // 1e999 is no number Intercom stores
        }
        throw wrongType(field, "a string, finite number or boolean", value);
    }

    private static WebhookException wrongType(String field, String expected, JsonNode actual) {
        return new WebhookException(400, "invalid_type",
                field + " must be " + expected + ", got " + actual.getNodeType().name().toLowerCase(java.util.Locale.ROOT),
                field);
    }
}
