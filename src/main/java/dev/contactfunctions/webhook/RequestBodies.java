package dev.contactfunctions.webhook;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads a webhook body as a JSON object, from {@code application/json} or from a plain HTML form
 * ({@code application/x-www-form-urlencoded}). Form keys {@code a[b]=v} become nested objects and repeated keys or
 * {@code a[]=v} become arrays, so both shapes reach the same validation.
 */
public final class RequestBodies {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> JSON_TYPES = Set.of("application/json");
    private static final String FORM = "application/x-www-form-urlencoded";

    private RequestBodies() {
    }

    public static ObjectNode parse(WebhookRequest request, boolean formAllowed) {
        request.requireBodyWithinLimit();
        String mediaType = request.mediaType().orElseThrow(() -> new WebhookException(415, "unsupported_media_type",
                "Content-Type is required: application/json" + (formAllowed ? " or " + FORM : "")));
        if (JSON_TYPES.contains(mediaType)) {
            return parseJson(request.bodyText());
        }
        if (formAllowed && FORM.equals(mediaType)) {
            return parseForm(request.bodyText());
        }
        throw new WebhookException(415, "unsupported_media_type", "Content-Type " + mediaType
                + " is not accepted; send application/json" + (formAllowed ? " or " + FORM : ""));
    }

    static ObjectNode parseJson(String body) {
        if (body.isBlank()) {
            throw new WebhookException(400, "malformed_body", "The body is empty");
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new WebhookException(400, "malformed_body", "The body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new WebhookException(400, "malformed_body", "The body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    static ObjectNode parseForm(String body) {
        ObjectNode root = JSON.createObjectNode();
        if (body.isBlank()) {
            throw new WebhookException(400, "malformed_body", "The form is empty");
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            String key;
            String value;
            try {
                key = URLDecoder.decode(kv[0], StandardCharsets.UTF_8);
                value = kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "";
            } catch (IllegalArgumentException e) {
                throw new WebhookException(400, "malformed_body", "The form is not valid URL encoding");
            }
            put(root, key, value);
        }
        return root;
    }

    private static void put(ObjectNode root, String key, String value) {
        int bracket = key.indexOf('[');
        if (bracket > 0 && key.endsWith("]")) {
            String name = key.substring(0, bracket);
            String inner = key.substring(bracket + 1, key.length() - 1);
            if (inner.isEmpty()) {
                arrayAt(root, name).add(value);
            } else {
                JsonNode existing = root.get(name);
                ObjectNode child = existing instanceof ObjectNode o ? o : root.putObject(name);
                child.put(inner, value);
            }
            return;
        }
        JsonNode existing = root.get(key);
        if (existing == null) {
            root.put(key, value);
        } else if (existing.isArray()) {
            ((ArrayNode) existing).add(value);
        } else {
            ArrayNode array = root.putArray(key);
            array.add(existing);
            array.add(value);
        }
    }

    private static ArrayNode arrayAt(ObjectNode root, String name) {
        JsonNode existing = root.get(name);
        if (existing instanceof ArrayNode array) {
            return array;
        }
        ArrayNode array = root.putArray(name);
        if (existing != null) {
            array.add(existing);
        }
        return array;
    }
}
