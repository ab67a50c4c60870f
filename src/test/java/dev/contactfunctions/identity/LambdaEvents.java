package dev.contactfunctions.identity;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.testsupport.WebhookAnswer;
import dev.contactfunctions.webhook.HubSignatureVerifier;
import dev.contactfunctions.webhook.SignatureVerifier;

/**
 * The real-shaped API Gateway events of {@code infra/events/}, adjusted and re-signed for a test, posted to the
 * Lambda mock event server; the answer is the handler's API Gateway response.
 */
final class LambdaEvents {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SIGNING_SECRET = "local-dev-signing-secret";
    static final String CLIENT_SECRET = "local-dev-intercom-client-secret";
    static final String IDENTIFY = "identify.json";
    static final String NOTIFICATION = "intercom-notification.json";

    private LambdaEvents() {
    }

    /**
     * The committed event file, with a request id of its own as API Gateway gives every request (a request without
     * Idempotency-Key is a delivery of its own, known by that id).
     */
    static ObjectNode event(String file) {
        try {
            ObjectNode event = (ObjectNode) JSON.readTree(Files.readString(Path.of("infra", "events", file)));
            ((ObjectNode) event.get("requestContext")).put("requestId", "test-" + UUID.randomUUID());
            return event;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The committed event's body, parsed. */
    static ObjectNode body(String file) {
        try {
            return (ObjectNode) JSON.readTree(event(file).get("body").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The identify event with this body, signed now with the local secret. */
    static ObjectNode identify(Object body) {
        return signedNow(withBody(event(IDENTIFY), body));
    }

    /** The notification event with this body, signed with the local client secret. */
    static ObjectNode notification(Object body) {
        return hubSigned(withBody(event(NOTIFICATION), body));
    }

    static ObjectNode withBody(ObjectNode event, Object body) {
        String text = body instanceof String s ? s : JSON.valueToTree(body).toString();
        event.put("body", text);
        event.put("isBase64Encoded", false);
        headers(event).put("content-length", Integer.toString(text.getBytes(StandardCharsets.UTF_8).length));
        return event;
    }

    static ObjectNode signedNow(ObjectNode event) {
        headers(event).put("x-signature",
                SignatureVerifier.sign(SIGNING_SECRET, Instant.now(), rawBody(event)));
        return event;
    }

    static ObjectNode hubSigned(ObjectNode event) {
        headers(event).put("x-hub-signature", HubSignatureVerifier.sign(CLIENT_SECRET, rawBody(event)));
        return event;
    }

    static ObjectNode headers(ObjectNode event) {
        return (ObjectNode) event.get("headers");
    }

    static byte[] rawBody(ObjectNode event) {
        return event.get("body").asText().getBytes(StandardCharsets.UTF_8);
    }

    /** Posts the event to the mock event server and reads the handler's answer. */
    static WebhookAnswer invoke(ObjectNode event) {
        String output = given().contentType("application/json").body(event.toString())
                .when().post()
                .then().statusCode(200)
                .extract().asString();
        try {
            return WebhookAnswer.from(JSON.readTree(output));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Posts a raw event (an SQS batch) to the mock event server and reads the handler's JSON answer. */
    static JsonNode invokeRaw(String event) {
        String output = given().contentType("application/json").body(event)
                .when().post()
                .then().statusCode(200)
                .extract().asString();
        try {
            return JSON.readTree(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
