package dev.contactfunctions.webhook;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.invocation.JsonMapping;

/**
 * Reads a webhook body as a JSON object, from {@code application/json} or from a plain HTML form
 * ({@code application/x-www-form-urlencoded}). Form keys {@code a[b]=v} become nested objects and repeated keys or
 * {@code a[]=v} become arrays, so both shapes reach the same validation.
 */
public final class RequestBodies {

    /** Strict: a body with anything after its JSON object is malformed, not read up to the object's end. */
    private static final ObjectReader STRICT = JsonMapping.mapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
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
            node = STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            throw new WebhookException(400, "malformed_body", "The body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new WebhookException(400, "malformed_body", "The body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    static ObjectNode parseForm(String body) {
        ObjectNode root = JsonMapping.mapper().createObjectNode();
        if (body.isBlank()) {
            throw new WebhookException(400, "malformed_body", "The form is empty");
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            put(root, formDecode(kv[0]), kv.length > 1 ? formDecode(kv[1]) : "");
        }
        return root;
    }

    /**
     * A form key or value, percent-decoded: the bytes of each run of {@code %XX} must be UTF-8. The JDK's decoder
     * would turn bytes that are not into U+FFFD silently, so an address no one typed could reach Intercom.
     */
    private static String formDecode(String encoded) {
        StringBuilder text = new StringBuilder(encoded.length());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                int high = i + 2 < encoded.length() ? hexDigit(encoded.charAt(i + 1)) : -1;
                int low = i + 2 < encoded.length() ? hexDigit(encoded.charAt(i + 2)) : -1;
                if (high < 0 || low < 0) {
                    throw new WebhookException(400, "malformed_body", "The form is not valid URL encoding");
                }
                bytes.write(high * 16 + low);
                i += 2;
                continue;
            }
            flush(bytes, text);
            text.append(c == '+' ? ' ' : c);
        }
        flush(bytes, text);
        return text.toString();
    }

    /** An ASCII hex digit's value, else -1 (Character.digit alone takes the digits of every script). */
    private static int hexDigit(char c) {
        return c < 128 ? Character.digit(c, 16) : -1;
    }

    private static void flush(ByteArrayOutputStream bytes, StringBuilder text) {
        if (bytes.size() > 0) {
            text.append(strictUtf8(bytes.toByteArray()).orElseThrow(() -> new WebhookException(400,
                    "malformed_body", "The form's percent-encoded bytes are not UTF-8")));
            bytes.reset();
        }
    }

    /** The bytes as UTF-8 text; empty when they are not valid UTF-8 (never replaced by U+FFFD). */
    static Optional<String> strictUtf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
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
