package dev.contactfunctions.bench;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.testsupport.CommittedEvents;

/**
 * The real-shaped events of {@code infra/events}, with a body of the benchmark's choosing and a fresh signature
 * (the local default secret, which the test configuration and the forked functions use).
 */
final class BenchEvents {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String SIGNING_SECRET = CommittedEvents.SIGNING_SECRET;
    static final String IDENTIFY_SIGNING_SECRET = CommittedEvents.IDENTIFY_SIGNING_SECRET;
    static final String CLIENT_SECRET = CommittedEvents.CLIENT_SECRET;
    static final String LEAD_CAPTURE = "lead-capture-json.json";
    static final String IDENTIFY = "identify.json";
    static final String SCHEDULE = "segment-audit.json";

    private BenchEvents() {
    }

    /** The committed event file, as is. */
    static ObjectNode event(String file) {
        return CommittedEvents.read(file);
    }

    /** The committed event's JSON body, parsed. */
    static ObjectNode body(String file) {
        return CommittedEvents.body(file);
    }

    /**
     * The committed webhook event carrying this body, signed now, with a request id and time of its own as API
     * Gateway gives every request (without an Idempotency-Key the request id names the delivery).
     */
    static ObjectNode signed(String file, ObjectNode body) {
        ObjectNode event = event(file);
        Instant now = Instant.now();
        ((ObjectNode) event.get("requestContext")).put("requestId", requestId()).put("timeEpoch", now.toEpochMilli());
        return CommittedEvents.signedAt(CommittedEvents.withBody(event, body), now);
    }

    /** An API Gateway-like request id: 16 base64 characters. */
    private static String requestId() {
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        return Base64.getEncoder().encodeToString(random);
    }

    /** Sets a header the way API Gateway delivers it (lower-cased name). */
    static ObjectNode header(ObjectNode event, String name, String value) {
        ((ObjectNode) event.get("headers")).put(name.toLowerCase(Locale.ROOT), value);
        return event;
    }
}
