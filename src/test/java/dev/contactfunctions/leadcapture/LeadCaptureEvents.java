package dev.contactfunctions.leadcapture;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.testsupport.WebhookAnswer;
import dev.contactfunctions.webhook.SignatureVerifier;
import io.restassured.response.Response;

/**
 * The committed API Gateway events of {@code infra/events}, loaded as they are and re-signed with the test's time
 * and the local default secret before they are posted to the Lambda mock event server; and the committed SQS event
 * of the deferral queue ({@link dev.contactfunctions.testsupport.QueueBatches}) posted as it is.
 */
final class LeadCaptureEvents {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRET = "local-dev-signing-secret";
    static final Path JSON_EVENT = Path.of("infra/events/lead-capture-json.json");
    static final Path FORM_EVENT = Path.of("infra/events/lead-capture-form.json");

    private LeadCaptureEvents() {
    }

    /** The JSON event, with a fresh Idempotency-Key so that tests never replay each other's deliveries. */
    static Event json() {
        return load(JSON_EVENT);
    }

    /** The base64-encoded form event, with a fresh Idempotency-Key. */
    static Event form() {
        return load(FORM_EVENT);
    }

    static Event load(Path file) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(Files.readString(file));
            return new Event(root).header("idempotency-key", "test-" + UUID.randomUUID());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file.toAbsolutePath(), e);
        }
    }

    /** Posts a raw event to the Lambda mock event server and answers the function's JSON answer. */
    static JsonNode postRaw(String event) {
        Response response = given().contentType("application/json").body(event).post();
        if (response.statusCode() != 200) {
            throw new AssertionError("the mock event server answered " + response.statusCode() + ": "
                    + response.asString());
        }
        try {
            return JSON.readTree(response.asString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String uniqueEmail(String name) {
        return name + "+" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    static final class Event {
        private final ObjectNode root;
        private Instant signedAt = Instant.now();
        private boolean sign = true;
        private String secret = SECRET;

        Event(ObjectNode root) {
            this.root = root;
        }

        byte[] rawBody() {
            String body = root.path("body").asText("");
            return root.path("isBase64Encoded").asBoolean()
                    ? Base64.getDecoder().decode(body)
                    : body.getBytes(StandardCharsets.UTF_8);
        }

        Event rawBody(byte[] raw) {
            if (root.path("isBase64Encoded").asBoolean()) {
                root.put("body", Base64.getEncoder().encodeToString(raw));
            } else {
                root.put("body", new String(raw, StandardCharsets.UTF_8));
            }
            return header("content-length", Integer.toString(raw.length));
        }

        Event body(String text) {
            return rawBody(text.getBytes(StandardCharsets.UTF_8));
        }

        /** Edits the JSON body as an object. */
        Event json(Consumer<ObjectNode> edit) {
            try {
                ObjectNode body = (ObjectNode) JSON.readTree(rawBody());
                edit.accept(body);
                return body(JSON.writeValueAsString(body));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Edits the form body as an ordered map of single values (null removes a field). */
        Event form(Consumer<Map<String, String>> edit) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String pair : new String(rawBody(), StandardCharsets.UTF_8).split("&")) {
                String[] kv = pair.split("=", 2);
                fields.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
            edit.accept(fields);
            StringBuilder body = new StringBuilder();
            fields.forEach((k, v) -> {
                if (v != null) {
                    body.append(body.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                            .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
                }
            });
            return body(body.toString());
        }

        /** Replaces the email, in either body shape. */
        Event email(String email) {
            return root.path("isBase64Encoded").asBoolean() ? form(f -> f.put("email", email))
                    : json(b -> b.put("email", email));
        }

        /** Sets (or, with null, removes) a header; API Gateway lower-cases header names. */
        Event header(String name, String value) {
            ObjectNode headers = (ObjectNode) root.get("headers");
            if (value == null) {
                headers.remove(name.toLowerCase(java.util.Locale.ROOT));
            } else {
                headers.put(name.toLowerCase(java.util.Locale.ROOT), value);
            }
            return this;
        }

        Event contentType(String value) {
            return header("content-type", value);
        }

        Event idempotencyKey(String key) {
            return header("idempotency-key", key);
        }

        Event signedAt(Instant instant) {
            this.signedAt = instant;
            return this;
        }

        Event signedWith(String otherSecret) {
            this.secret = otherSecret;
            return this;
        }

        /** Posts the event as it is, keeping whatever X-Signature it carries (or none). */
        Event keepSignature() {
            this.sign = false;
            return this;
        }

        ObjectNode root() {
            return root;
        }

        String toJson() {
            if (sign) {
                header("x-signature", SignatureVerifier.sign(secret, signedAt, rawBody()));
            }
            return root.toString();
        }

        /** Posts the event to the Lambda mock event server and unwraps the API Gateway answer. */
        WebhookAnswer post() {
            Response response = given().contentType("application/json").body(toJson()).post();
            if (response.statusCode() != 200) {
                throw new AssertionError("the mock event server answered " + response.statusCode() + ": "
                        + response.asString());
            }
            try {
                return WebhookAnswer.from(JSON.readTree(response.asString()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
