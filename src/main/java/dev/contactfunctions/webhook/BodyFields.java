package dev.contactfunctions.webhook;

import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The field handling that the validated webhook bodies share (a lead, an identify request, an Intercom notification):
 * reading a field that may be absent, spotting an unknown field, and writing a request back as its canonical JSON
 * body. What a field must hold beyond that, and how such a refusal is worded, stay with each request.
 */
public final class BodyFields {

    private BodyFields() {
    }

    /** The field's value, or null when it is absent or JSON null: both mean "not given". */
    public static JsonNode given(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() ? null : node;
    }

    /** A text field, as sent; null when it is not given; any other type is refused (400 {@code invalid_type}). */
    public static String text(ObjectNode body, String field) {
        JsonNode node = given(body, field);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            throw new WebhookException(400, "invalid_type", field + " must be a string", field);
        }
        return node.textValue();
    }

    /** The first top-level field of {@code body} that is not one of {@code known}, in the order sent. */
    public static Optional<String> firstUnknown(ObjectNode body, Set<String> known) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!known.contains(name)) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    /** Puts {@code value} under {@code field}, unless it is null. */
    public static void putIfPresent(ObjectNode body, String field, String value) {
        if (value != null) {
            body.put(field, value);
        }
    }

    /**
     * Puts scalar values (Boolean, Long or Integer, another Number, else text) as an object under {@code field}, in
     * their order, unless there are none: how custom attributes read from a body are written back.
     */
    public static void putScalars(ObjectNode body, String field, Map<String, Object> values) {
        if (values.isEmpty()) {
            return;
        }
        ObjectNode object = body.putObject(field);
        values.forEach((name, value) -> {
            if (value instanceof Boolean b) {
                object.put(name, b);
            } else if (value instanceof Long || value instanceof Integer) {
                object.put(name, ((Number) value).longValue());
            } else if (value instanceof Number n) {
                object.put(name, n.doubleValue());
            } else {
                object.put(name, String.valueOf(value));
            }
        });
    }
}
