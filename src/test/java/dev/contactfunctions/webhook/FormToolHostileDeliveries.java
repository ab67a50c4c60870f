package dev.contactfunctions.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.leadcapture.FormToolEvents;
import dev.contactfunctions.testsupport.CommittedEvents;

/**
 * A seeded generator of hostile deliveries to a form tool's route ({@code /webhooks/leads/<tool>}), each built on the
 * tool's committed sample: forged, malformed or stale signatures, bodies that are not the vendor's JSON, addresses no
 * mail server delivers, text over the limits, bodies over the size limit, other methods and content types. Every one
 * carries something the route must refuse (4xx) before anything is written. The same seed gives the same deliveries.
 */
final class FormToolHostileDeliveries {

    /** {@link HostileDeliveries}' addresses, but those with a lone surrogate (no UTF-8 body can carry one). */
    private static final String[] BAD_EMAILS = java.util.Arrays.stream(HostileDeliveries.BAD_EMAILS)
            .filter(e -> e.chars().noneMatch(c -> Character.isSurrogate((char) c))).toArray(String[]::new);

    private final Random random;
    private final String source;

    private FormToolHostileDeliveries(String source, long seed) {
        this.source = source;
        this.random = new Random(seed ^ source.hashCode());
    }

    /** {@code count} hostile deliveries to {@code source}'s route, the same ones for the same seed. */
    static List<HostileDeliveries.Delivery> generate(String source, long seed, int count) {
        FormToolHostileDeliveries generator = new FormToolHostileDeliveries(source, seed);
        List<HostileDeliveries.Delivery> deliveries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            deliveries.add(generator.next());
        }
        return deliveries;
    }

    private HostileDeliveries.Delivery next() {
        FormToolEvents.Event event = FormToolEvents.of(source);
        String hostile = switch (random.nextInt(8)) {
            case 0 -> {
                event.unsigned().header(signatureHeader(), randomSignature());
                yield "a forged signature";
            }
            case 1 -> {
                event.signedWith(pick(CommittedEvents.IDENTIFY_SIGNING_SECRET, CommittedEvents.CLIENT_SECRET, "x"));
                yield "signed with another key";
            }
            case 2 -> {
                String email = pick(BAD_EMAILS);
                event.email(email);
                yield "email " + email.length() + " chars";
            }
            case 3 -> {
                event.body(random.nextBoolean() ? "[" + randomText(40) : randomText(random.nextInt(200)));
                yield "not the vendor's JSON";
            }
            case 4 -> {
                event.json(b -> b.put("padding", "x".repeat(WebhookRequest.MAX_BODY_BYTES + random.nextInt(4096))));
                yield "a body over the limit";
            }
            case 5 -> {
                event.header("content-type", pick("text/plain", "application/xml",
                        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"));
                yield "another content type";
            }
            case 6 -> {
                ((ObjectNode) event.root().path("requestContext").path("http")).put("method",
                        pick("GET", "PUT", "DELETE", "PATCH"));
                yield "another method";
            }
            default -> {
                if (source.equals("webflow")) {
                    event.signedAt(Instant.now().minus(Duration.ofMinutes(6 + random.nextInt(10_000))));
                    yield "a stale timestamp";
                }
                event.utmSource("u".repeat(256 + random.nextInt(1000)));
                yield "a utm_source over 255 characters";
            }
        };
        return new HostileDeliveries.Delivery("/webhooks/leads/" + source, hostile, event.toJson());
    }

    private String signatureHeader() {
        return switch (source) {
            case "typeform" -> "typeform-signature";
            case "tally" -> "tally-signature";
            default -> "x-webflow-signature";
        };
    }

    private String randomSignature() {
        byte[] bytes = new byte[random.nextInt(48)];
        random.nextBytes(bytes);
        String encoded = Base64.getEncoder().encodeToString(bytes);
        return switch (random.nextInt(3)) {
            case 0 -> "sha256=" + encoded;
            case 1 -> encoded;
            default -> new String(bytes, StandardCharsets.ISO_8859_1).replaceAll("[\\p{Cntrl}]", "?") + " ";
        };
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    private String randomText(int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append((char) (0x20 + random.nextInt(0x5f)));
        }
        return text.toString();
    }
}
