package dev.contactfunctions.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.webhook.SignatureVerifier;

/**
 * The real-shaped events of {@code infra/events}, with a body of the benchmark's choosing and a fresh signature
 * (the local default secret, which the test configuration and the forked functions use).
 */
final class BenchEvents {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SIGNING_SECRET = "local-dev-signing-secret";
    static final String CLIENT_SECRET = "local-dev-intercom-client-secret";
    static final String LEAD_CAPTURE = "lead-capture-json.json";
    static final String IDENTIFY = "identify.json";
    static final String SCHEDULE = "segment-audit.json";

    private BenchEvents() {
    }

    /** The committed event file, as is. */
    static ObjectNode event(String file) {
        try {
            return (ObjectNode) JSON.readTree(Files.readString(Path.of("infra", "events", file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The committed event's JSON body, parsed. */
    static ObjectNode body(String file) {
        try {
            return (ObjectNode) JSON.readTree(event(file).get("body").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The committed webhook event carrying this body, signed now. */
    static ObjectNode signed(String file, ObjectNode body) {
        ObjectNode event = event(file);
        String text = body.toString();
        event.put("body", text);
        event.put("isBase64Encoded", false);
        header(event, "content-length", Integer.toString(text.getBytes(StandardCharsets.UTF_8).length));
        header(event, "x-signature", SignatureVerifier.sign(SIGNING_SECRET, Instant.now(),
                text.getBytes(StandardCharsets.UTF_8)));
        return event;
    }

    /** Sets a header the way API Gateway delivers it (lower-cased name). */
    static ObjectNode header(ObjectNode event, String name, String value) {
        ((ObjectNode) event.get("headers")).put(name.toLowerCase(Locale.ROOT), value);
        return event;
    }
}
