package dev.contactfunctions.identity;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.testsupport.CommittedEvents;
import dev.contactfunctions.testsupport.WebhookAnswer;

/**
 * The real-shaped API Gateway events of {@code infra/events/}, adjusted and re-signed for a test, posted to the
 * Lambda mock event server; the answer is the handler's API Gateway response.
 */
final class LambdaEvents {

    static final ObjectMapper JSON = new ObjectMapper();
    /** The key of /webhooks/identify; the lead route's key ({@link #LEAD_SIGNING_SECRET}) is not accepted there. */
    static final String SIGNING_SECRET = CommittedEvents.IDENTIFY_SIGNING_SECRET;
    static final String LEAD_SIGNING_SECRET = CommittedEvents.SIGNING_SECRET;
    static final String CLIENT_SECRET = CommittedEvents.CLIENT_SECRET;
    static final String IDENTIFY = "identify.json";
    static final String NOTIFICATION = "intercom-notification.json";

    private LambdaEvents() {
    }

    /**
     * The committed event file, with a request id of its own as API Gateway gives every request (a request without
     * Idempotency-Key is a delivery of its own, known by that id).
     */
    static ObjectNode event(String file) {
        ObjectNode event = CommittedEvents.read(file);
        ((ObjectNode) event.get("requestContext")).put("requestId", "test-" + UUID.randomUUID());
        return event;
    }

    /** The committed event's body, parsed. */
    static ObjectNode body(String file) {
        return CommittedEvents.body(file);
    }

    /** The identify event with this body, signed now with the route's local secret. */
    static ObjectNode identify(Object body) {
        return signedNow(withBody(event(IDENTIFY), body));
    }

    /**
     * The notification event with this body as Intercom sends it now: created now (on the system clock, the
     * application's in these tests) and signed with the local client secret. A body given as text is sent as it is.
     */
    static ObjectNode notification(Object body) {
        return notification(body, Instant.now());
    }

    /** As {@link #notification(Object)}, created at {@code createdAt}: Intercom's retries keep the first date. */
    static ObjectNode notification(Object body, Instant createdAt) {
        Object dated = body instanceof ObjectNode object
                ? object.deepCopy().put("created_at", createdAt.getEpochSecond())
                        .put("first_sent_at", createdAt.getEpochSecond())
                : body;
        return hubSigned(withBody(event(NOTIFICATION), dated));
    }

    static ObjectNode withBody(ObjectNode event, Object body) {
        return CommittedEvents.withBody(event, body);
    }

    static ObjectNode signedNow(ObjectNode event) {
        return CommittedEvents.signedNow(event);
    }

    static ObjectNode hubSigned(ObjectNode event) {
        return CommittedEvents.hubSigned(event);
    }

    static ObjectNode headers(ObjectNode event) {
        return CommittedEvents.headers(event);
    }

    static byte[] rawBody(ObjectNode event) {
        return CommittedEvents.rawBody(event);
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
