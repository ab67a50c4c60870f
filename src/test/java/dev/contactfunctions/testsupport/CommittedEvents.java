package dev.contactfunctions.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.webhook.HubSignatureVerifier;
import dev.contactfunctions.webhook.SignatureVerifier;

/**
 * The real-shaped API Gateway events committed in {@code infra/events/}, read and re-signed for tests and benchmarks
 * with the local default secrets (the ones the test configuration and the local run use), each route with its own.
 */
public final class CommittedEvents {

    /** The key of {@code /webhooks/leads}. */
    public static final String SIGNING_SECRET = "local-dev-signing-secret";
    /** The key of {@code /webhooks/identify}, the application's alone. */
    public static final String IDENTIFY_SIGNING_SECRET = "local-dev-identify-signing-secret";
    public static final String CLIENT_SECRET = "local-dev-intercom-client-secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CommittedEvents() {
    }

    /** The committed event file, as is. */
    public static ObjectNode read(String file) {
        return parse(readFile(file));
    }

    /** The committed event's JSON body, parsed. */
    public static ObjectNode body(String file) {
        return parse(read(file).get("body").asText());
    }

    /** Replaces the event's body (a string as is, anything else as JSON), with its content length. */
    public static ObjectNode withBody(ObjectNode event, Object body) {
        String text = body instanceof String s ? s : JSON.valueToTree(body).toString();
        event.put("body", text);
        event.put("isBase64Encoded", false);
        headers(event).put("content-length", Integer.toString(text.getBytes(StandardCharsets.UTF_8).length));
        return event;
    }

    /** Signs the body now with our webhook scheme ({@code X-Signature}), with the key of the event's route. */
    public static ObjectNode signedNow(ObjectNode event) {
        return signedAt(event, Instant.now());
    }

    public static ObjectNode signedAt(ObjectNode event, Instant at) {
        return signedWith(event, signingSecretOf(event), at);
    }

    public static ObjectNode signedWith(ObjectNode event, String secret, Instant at) {
        headers(event).put("x-signature", SignatureVerifier.sign(secret, at, rawBody(event)));
        return event;
    }

    /** The local key of the event's route: identify's own, else the lead route's. */
    public static String signingSecretOf(ObjectNode event) {
        return event.path("rawPath").asText().endsWith("/webhooks/identify") ? IDENTIFY_SIGNING_SECRET
                : SIGNING_SECRET;
    }

    /** Signs the body as Intercom does its notifications ({@code X-Hub-Signature}). */
    public static ObjectNode hubSigned(ObjectNode event) {
        headers(event).put("x-hub-signature", HubSignatureVerifier.sign(CLIENT_SECRET, rawBody(event)));
        return event;
    }

    /** The headers as API Gateway delivers them (lower-cased names). */
    public static ObjectNode headers(ObjectNode event) {
        return (ObjectNode) event.get("headers");
    }

    public static byte[] rawBody(ObjectNode event) {
        return event.get("body").asText().getBytes(StandardCharsets.UTF_8);
    }

    private static String readFile(String file) {
        try {
            return Files.readString(Path.of("infra", "events", file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
