package dev.contactfunctions.leadcapture;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.webhook.WebhookException;

/**
 * A form tool's webhook body, read as the vendor documents it: its event type, the response's own id (the delivery id,
 * so that the vendor's retries of one response are one delivery) and its fields, each with the names a mapping may
 * use, its path in the body (for messages), its type as the vendor gives it and its value.
 * <ul>
 * <li>Typeform: {@code event_type}, {@code form_response.token}; {@code form_response.answers} (named by their
 * field's {@code ref} or {@code id}, typed {@code email}, {@code text}, {@code phone_number}, {@code choice}, ...) and
 * {@code form_response.hidden} (named by their key);</li>
 * <li>Tally: {@code eventType}, {@code data.responseId}; {@code data.fields} (named by {@code key} or {@code label},
 * typed {@code INPUT_EMAIL}, {@code HIDDEN_FIELDS}, ...; choices given as option ids read as their text);</li>
 * <li>Webflow: {@code triggerType}, {@code payload.id}; {@code payload.data} (named by the field's name, typed by
 * {@code payload.schema}).</li>
 * </ul>
 */
record FormToolPayload(String eventType, String responseId, String responseIdPath, List<Field> fields) {

    /** A delivery id is 1 to 200 visible ASCII characters, as the ledger keys it. */
    private static final Pattern RESPONSE_ID = Pattern.compile("^[\\x21-\\x7E]{1,200}$");

    record Field(List<String> names, String path, String type, boolean hidden, JsonNode value) {
    }

    static FormToolPayload read(FormSource source, ObjectNode body) {
        return switch (source) {
            case TYPEFORM -> typeform(body);
            case TALLY -> tally(body);
            case WEBFLOW -> webflow(body);
        };
    }

    private static FormToolPayload typeform(ObjectNode body) {
        String eventType = required(body, "event_type", "event_type");
        JsonNode response = body.path("form_response");
        List<Field> fields = new ArrayList<>();
        for (JsonNode answer : response.path("answers")) {
            String type = answer.path("type").asText("");
            String ref = answer.path("field").path("ref").asText("");
            String id = answer.path("field").path("id").asText("");
            String name = ref.isEmpty() ? id : ref;
            JsonNode value = answer.path(type);
            if (value.isObject() && value.has("label")) { // choice: {label}
                value = value.get("label");
            } else if (value.isObject() && value.has("labels")) { // choices: {labels: [...]}
                value = value.get("labels");
            }
            fields.add(new Field(List.of(name, id), "form_response.answers[ref=" + name + "]", type, false, value));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = response.path("hidden").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> hidden = it.next();
            fields.add(new Field(List.of(hidden.getKey()), "form_response.hidden." + hidden.getKey(), "hidden", true,
                    hidden.getValue()));
        }
        return new FormToolPayload(eventType, text(response, "token"), "form_response.token", fields);
    }

    private static FormToolPayload tally(ObjectNode body) {
        String eventType = required(body, "eventType", "eventType");
        JsonNode data = body.path("data");
        List<Field> fields = new ArrayList<>();
        for (JsonNode field : data.path("fields")) {
            String key = field.path("key").asText("");
            String label = field.path("label").asText("");
            String type = field.path("type").asText("");
            fields.add(new Field(List.of(key, label), "data.fields[key=" + key + "]", type,
                    "HIDDEN_FIELDS".equals(type), optionTexts(field)));
        }
        return new FormToolPayload(eventType, text(data, "responseId"), "data.responseId", fields);
    }

    /** A choice field's value is a list of option ids: read as the options' texts. */
    private static JsonNode optionTexts(JsonNode field) {
        JsonNode value = field.path("value");
        if (!value.isArray() || !field.path("options").isArray()) {
            return value;
        }
        Map<String, String> texts = new HashMap<>();
        field.path("options").forEach(o -> texts.put(o.path("id").asText(), o.path("text").asText()));
        ArrayNode chosen = JsonNodeFactory.instance.arrayNode();
        value.forEach(id -> chosen.add(texts.getOrDefault(id.asText(), id.asText())));
        return chosen;
    }

    private static FormToolPayload webflow(ObjectNode body) {
        String eventType = required(body, "triggerType", "triggerType");
        JsonNode payload = body.path("payload");
        Map<String, String> types = new HashMap<>();
        payload.path("schema").forEach(s -> types.put(s.path("fieldName").asText(), s.path("fieldType").asText()));
        List<Field> fields = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = payload.path("data").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            fields.add(new Field(List.of(entry.getKey()), "payload.data." + entry.getKey(),
                    types.getOrDefault(entry.getKey(), ""), false, entry.getValue()));
        }
        return new FormToolPayload(eventType, text(payload, "id"), "payload.id", fields);
    }

    private static String required(JsonNode node, String name, String path) {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw new WebhookException(400, "missing_field", path + " is required", path);
        }
        return value.textValue();
    }

    /**
     * The delivery id: the source's name and the response's own id ({@code typeform-<token>}), so that the vendor's
     * retries of one response are answered from the ledger. A response without a usable id is refused (400).
     */
    String deliveryId(FormSource source) {
        if (responseId == null || responseId.isEmpty()) {
            throw new WebhookException(400, "missing_field", responseIdPath + " is required", responseIdPath);
        }
        if (!RESPONSE_ID.matcher(responseId).matches()) {
            throw new WebhookException(400, "invalid_field",
                    responseIdPath + " must be 1 to 200 visible ASCII characters", responseIdPath);
        }
        return source.wire() + "-" + responseId;
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value == null || !value.isValueNode() || value.isNull() ? null : value.asText();
    }
}
