package dev.contactfunctions.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.testsupport.CommittedEvents;

/**
 * A seeded generator of hostile deliveries to the three webhook routes, each built on the route's committed API
 * Gateway event: bad or odd signatures, timestamps at and beyond every bound, bodies of every JSON type, of odd sizes,
 * encodings, nesting and scripts, other methods, content types and headers. Every delivery carries at least one thing
 * that the route must refuse (4xx) before anything is written; the rest of it is valid, and varied, so that the
 * hostile part is what is tested. The same seed gives the same deliveries.
 */
final class HostileDeliveries {

    static final String LEADS = "/webhooks/leads";
    static final String IDENTIFY = "/webhooks/identify";
    static final String INTERCOM = "/webhooks/intercom";

    /** One generated delivery: the route, what is hostile about it, the API Gateway event. */
    record Delivery(String route, String hostile, String event) {
        @Override
        public String toString() {
            return route + " " + hostile;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TOLERANCE = SignatureVerifier.DEFAULT_TOLERANCE;
    /** Text of many scripts, emoji and combining marks: valid in names, never a refusal on its own. */
    private static final String[] WORDS = {"Ada", "Lovelace", "José", "Zoë", "Ñandú", "Øyvind", "Łukasz", "Ğül",
            "用户", "例子", "Владимир", "Ελένη", "אבי", "محمد", "देव", "ಕನ್ನಡ", "ไทย", "한국어", "日本語", "🙂", "👩‍💻",
            "e\u0301", "O'Brien", "<b>bold</b>", "'; DROP TABLE contacts; --", "{{7*7}}", "${jndi:ldap://x}", "%00",
            "\\u0000", "a\u200bb"};
    /** Addresses no mail server delivers, or not addresses at all. */
    static final String[] BAD_EMAILS = {"<script>@example.com", "ada>@example.com", "(ada)@example.com",
            "ada@[127.0.0.1]", "ada,grace@example.com", "ada;@example.com", "ada:x@example.com", "ada\\@example.com",
            "\"ada\"@example.com", "ada\u0000@example.com", "ada\u0007@example.com", "ada\r\nbcc:x@example.com",
            "ada\u202e@example.com", "ada\u00a0@example.com", "ada\u2028@example.com", "ada@example", "ada@",
            "@example.com", "ada@@example.com", "ada@b@example.com", "ada..x@example.com", "ada@example..com",
            ".ada@example.com", "ada@example.com.", "a".repeat(300) + "@example.com", "user@ex\u0000ample.com",
            "ad a@example.com", "ada@exa mple.com", "ada\ud800@example.com", "ada@example.com<img src=x>"};
    private static final String BEYOND_ANY_NUMBER = "(a number beyond any double)";
    private static final String[] METHODS = {"GET", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE",
            "CONNECT", "PROPFIND", "POSTX", ""};
    private static final String[] CONTENT_TYPES = {"text/plain", "application/xml", "text/html",
            "multipart/form-data; boundary=x", "application/json-patch+json", "application/jsonx", "json",
            "application/octet-stream", "*/*", "application/x-www-form-urlencodedx"};

    private final Random random;
    private final String route;
    private final String file;
    private int serial;

    private HostileDeliveries(String route, long seed) {
        this.route = route;
        this.random = new Random(seed ^ route.hashCode());
        this.file = switch (route) {
            case LEADS -> "lead-capture-json.json";
            case IDENTIFY -> "identify.json";
            case INTERCOM -> "intercom-notification.json";
            default -> throw new IllegalArgumentException(route);
        };
    }

    /** {@code count} hostile deliveries to {@code route}, the same ones for the same seed. */
    static List<Delivery> generate(String route, long seed, int count) {
        HostileDeliveries generator = new HostileDeliveries(route, seed);
        List<Delivery> deliveries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            deliveries.add(generator.next());
        }
        return deliveries;
    }

    // ---------------------------------------------------------------- one delivery

    /** What a delivery is made of before it becomes an event; a hostile change edits one part of it. */
    private final class Draft {
        String method = "POST";
        String contentType = "application/json";
        byte[] body;
        /** Sent as is with base64 flag set, instead of the encoded body. */
        String base64Override;
        boolean base64;
        /** How the delivery is signed, given the final body bytes; null: no signature header at all. */
        Function<byte[], String> signature;
        String idempotencyKey = "fuzz-" + UUID.randomUUID();
        final List<String[]> extraHeaders = new ArrayList<>();

        Draft(byte[] body) {
            this.body = body;
            this.signature = HostileDeliveries.this::validSignature;
        }
    }

    private Delivery next() {
        serial++;
        Draft draft = new Draft(utf8(validBody().toString()));
        List<String> hostile = new ArrayList<>();
        hostile.add(hostile(draft));
        if (random.nextInt(4) == 0) {
            hostile.add(envelopeHostile(draft)); // sometimes two at once: each alone must be refused
        }
        noise(draft);
        return new Delivery(route, String.join(" + ", hostile), event(draft));
    }

    private String hostile(Draft draft) {
        int kinds = route.equals(INTERCOM) ? 7 : 8;
        return switch (random.nextInt(kinds)) {
            case 0 -> badSignature(draft);
            case 1 -> badJson(draft);
            case 2 -> badFields(draft);
            case 3 -> badContentType(draft);
            case 4 -> badSizeOrEncoding(draft);
            case 5 -> badMethod(draft);
            case 6 -> random.nextBoolean() ? badSignature(draft) : badFields(draft);
            default -> badTimestampOrKey(draft);
        };
    }

    /** A second hostile part, of the envelope (the body as it stands is kept). */
    private String envelopeHostile(Draft draft) {
        return switch (random.nextInt(route.equals(INTERCOM) ? 2 : 3)) {
            case 0 -> badSignature(draft);
            case 1 -> badMethod(draft);
            default -> badTimestampOrKey(draft);
        };
    }

    // ---------------------------------------------------------------- signatures

    private String validSignature(byte[] body) {
        return route.equals(INTERCOM) ? HubSignatureVerifier.sign(CommittedEvents.CLIENT_SECRET, body)
                : SignatureVerifier.sign(ourKey(), Instant.now(), body);
    }

    private String ourKey() {
        return route.equals(IDENTIFY) ? CommittedEvents.IDENTIFY_SIGNING_SECRET : CommittedEvents.SIGNING_SECRET;
    }

    private String badSignature(Draft draft) {
        String hex = HexFormat.of().formatHex(randomBytes(random.nextBoolean() ? 32 : 20));
        String[] junk = {"", " ", ",", "=", "t=", "v1=", "t=,v1=", "sha1=", "sha256=" + hex, "t=1,v1", "v1=" + hex,
                "t=" + Instant.now().getEpochSecond(), "T=" + Instant.now().getEpochSecond() + ",V1=" + hex,
                "sha1=" + hex.toUpperCase() + "zz", "sha1=" + hex.substring(1), "sha1= " + hex, hex,
                "t=" + Instant.now().getEpochSecond() + ",v1=" + "é".repeat(32), "\u0000", "t=١٢٣,v1=" + hex,
                "t=" + Instant.now().getEpochSecond() + ",v1=" + hex + ",v1=" + hex + ",v1=" + "0".repeat(64),
                "x".repeat(8000), word() + "=" + word()};
        int pick = random.nextInt(junk.length + 3);
        if (pick == junk.length) {
            draft.signature = null;
            return "no signature";
        }
        if (pick == junk.length + 1) {
            byte[] signed = draft.body.clone();
            draft.signature = body -> validSignature(signed);
            draft.body = tamper(draft.body);
            return "body changed after signing";
        }
        if (pick == junk.length + 2) {
            String key = route.equals(INTERCOM)
                    ? pickOf(CommittedEvents.SIGNING_SECRET, CommittedEvents.IDENTIFY_SIGNING_SECRET, "")
                    : route.equals(IDENTIFY)
                            ? pickOf(CommittedEvents.SIGNING_SECRET, CommittedEvents.CLIENT_SECRET, "x")
                            : pickOf(CommittedEvents.IDENTIFY_SIGNING_SECRET, CommittedEvents.CLIENT_SECRET, "x");
            draft.signature = body -> route.equals(INTERCOM) ? HubSignatureVerifier.sign(key.isEmpty() ? " " : key, body)
                    : SignatureVerifier.sign(key, Instant.now(), body);
            return "signed with another key";
        }
        String value = junk[pick];
        draft.signature = body -> value;
        return "signature " + printable(value);
    }

    /** Timestamps at and beyond every bound, signed with our key or not; identify also gets the lead route's key. */
    private String badTimestampOrKey(Draft draft) {
        long now = Instant.now().getEpochSecond();
        long slack = TOLERANCE.toSeconds();
        String[] timestamps = {"99999999999999999", "-99999999999999999", Long.toString(Long.MAX_VALUE),
                Long.toString(Long.MIN_VALUE), "9".repeat(30), "-" + "9".repeat(30), "0", "-1",
                Long.toString(Instant.MAX.getEpochSecond()), Long.toString(Instant.MAX.getEpochSecond() + 1),
                Long.toString(Instant.MIN.getEpochSecond()), Long.toString(Instant.MIN.getEpochSecond() - 1),
                Long.toString(now - slack - 2), Long.toString(now + slack + 2), Long.toString(now * 1000),
                "+" + (now - slack - 60), "0x" + Long.toHexString(now), now + ".0", "1e10", " ", "NaN", "now"};
        if (route.equals(IDENTIFY) && random.nextInt(4) == 0) {
            draft.signature = body -> SignatureVerifier.sign(CommittedEvents.SIGNING_SECRET, Instant.now(), body);
            return "signed with the lead route's key";
        }
        String t = timestamps[random.nextInt(timestamps.length)];
        boolean hmacOverIt = random.nextBoolean();
        draft.signature = body -> "t=" + t + ",v1=" + (hmacOverIt ? hmacAt(t, body)
                : HexFormat.of().formatHex(randomBytes(32)));
        return "timestamp " + t + (hmacOverIt ? " with a valid HMAC" : "");
    }

    private String hmacAt(String timestamp, byte[] body) {
        byte[] prefix = utf8(timestamp + ".");
        byte[] signed = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        return HexFormat.of().formatHex(SignatureVerifier.hmac("HmacSHA256", ourKey(), signed));
    }

    // ---------------------------------------------------------------- bodies

    private String badJson(Draft draft) {
        String valid = new String(draft.body, StandardCharsets.UTF_8);
        String[] bodies = {"", " ", "\n\t", "null", "true", "0", "-1e999999", "1" + "0".repeat(2000), "\"text\"",
                "[]", "[" + valid + "]", "{", "}", valid.substring(0, valid.length() / 2), valid + "}",
                valid.replaceFirst("\\{", "{,"), valid.replace("\"", "'"), "\uFEFF" + valid, valid + "\u0000",
                "[".repeat(5000) + "]".repeat(5000), "{\"a\":".repeat(3000) + "1" + "}".repeat(3000),
                "{\"email\":\"ada@example.com\"" + ",\"x\":1".repeat(10) + "}garbage", "NaN", "{\"\\ud800\":1}",
                "<?xml version=\"1.0\"?><lead><email>ada@example.com</email></lead>", word()};
        String body = bodies[random.nextInt(bodies.length)];
        draft.body = utf8(body);
        return "body " + printable(abbreviate(body));
    }

    private String badFields(Draft draft) {
        ObjectNode body = (ObjectNode) readTree(draft.body);
        String what = switch (route) {
            case LEADS -> badLeadFields(body);
            case IDENTIFY -> badIdentifyFields(body);
            default -> badNotificationFields(body);
        };
        // a number JSON can write but no double holds, placed where the marker is
        draft.body = utf8(escapeLoneSurrogates(body.toString()).replace("\"" + BEYOND_ANY_NUMBER + "\"",
                pickOf("1e999", "-1e999", "1e309")));
        return what;
    }

    private String badLeadFields(ObjectNode body) {
        switch (random.nextInt(12)) {
            case 0, 1, 2 -> {
                return badEmail(body);
            }
            case 3 -> {
                anyButText(body, "email");
                return "email of another type";
            }
            case 4 -> {
                body.remove("email");
                return "no email";
            }
            case 5 -> {
                body.put("name", longText(256));
                return "name too long";
            }
            case 6 -> {
                body.put("phone", pickOf("call me", "+1 (555) 12ab", "\u0000\u0000\u0000", "١٢٣٤٥٦"));
                return "phone not a phone number";
            }
            case 7 -> {
                body.put(pickOf("utm_souce", "Email", "__proto__", "constructor", word(), ""), "x");
                return "unknown field";
            }
            case 8 -> {
                anyButText(body, pickOf("utm_source", "utm_medium", "utm_campaign", "landing_page", "name"));
                return "attribution of another type";
            }
            case 9 -> {
                nest(body.putObject("custom_attributes").putObject(pickOf("plan", "seats")));
                return "nested custom attribute";
            }
            case 10 -> {
                ArrayNode tags = body.putArray("tags");
                int count = 21 + random.nextInt(30);
                for (int i = 0; i < count; i++) {
                    tags.add("tag-" + i);
                }
                return count + " tags";
            }
            default -> {
                body.putArray("custom_attributes").add("plan");
                return "custom_attributes a list";
            }
        }
    }

    /** An address no mail server delivers, in the body's email field. */
    private String badEmail(ObjectNode body) {
        String email = BAD_EMAILS[random.nextInt(BAD_EMAILS.length)];
        body.put("email", email);
        return "email " + printable(abbreviate(email));
    }

    private String badIdentifyFields(ObjectNode body) {
        switch (random.nextInt(12)) {
            case 0, 1, 2 -> {
                return badEmail(body);
            }
            case 3 -> {
                body.remove("external_id");
                return "no external_id";
            }
            case 4 -> {
                if (random.nextBoolean()) {
                    anyButText(body, "external_id");
                } else {
                    body.put("external_id", pickOf(" ", " user-1", "user-1 ", "\tuser", longText(256)));
                }
                return "external_id not an id";
            }
            case 5 -> {
                String[] numbers = {"-1", "1773147600000", "99999999999999999999", "1e30", "1.5", "-9223372036854775808",
                        "9223372036854775807", "\"1773147600\"", "true", "[1]", "{}"};
                String number = numbers[random.nextInt(numbers.length)];
                body.set("signed_up_at", readTree(utf8(number)));
                return "signed_up_at " + number;
            }
            case 6 -> {
                anyButText(body, pickOf("email", "name", "phone", "lead_id"));
                return "a text field of another type";
            }
            case 7 -> {
                body.put(pickOf("user_id", "role", "Email", "__proto__", word()), "x");
                return "unknown field";
            }
            case 8 -> {
                nest(body.putObject("custom_attributes").putObject("plan"));
                return "nested custom attribute";
            }
            case 9 -> {
                body.putArray("custom_attributes").add("pro");
                return "custom_attributes a list";
            }
            case 10 -> {
                body.putObject("custom_attributes").put("plan", BEYOND_ANY_NUMBER);
                return "a custom attribute beyond any number";
            }
            default -> {
                body.put("name", longText(256));
                return "name too long";
            }
        }
    }

    /** A correctly signed notification that is not one: every change here is refused, never acknowledged. */
    private String badNotificationFields(ObjectNode body) {
        switch (random.nextInt(7)) {
            case 0 -> {
                body.put("type", pickOf("event", "notification", "", "NOTIFICATION_EVENT", word()));
                return "type not notification_event";
            }
            case 1 -> {
                if (random.nextBoolean()) {
                    body.remove("id");
                } else {
                    body.put("id", pickOf("", " "));
                }
                return "no notification id";
            }
            case 2 -> {
                body.remove("topic");
                return "no topic";
            }
            case 3 -> {
                anyButText(body, pickOf("id", "topic", "type"));
                return "a text field of another type";
            }
            case 4 -> {
                ((ObjectNode) body.get("data")).put("item", pickOf("", "contact", word()));
                return "data.item not an object";
            }
            case 5 -> {
                ((ObjectNode) body.at("/data/item")).put("type", pickOf("company", "user", "", word()));
                return "data.item not a contact";
            }
            default -> {
                ((ObjectNode) body.at("/data/item")).remove("id");
                return "data.item without id";
            }
        }
    }

    private String badContentType(Draft draft) {
        if (random.nextInt(4) == 0) {
            draft.contentType = null;
            return "no content type";
        }
        if (!route.equals(LEADS) && random.nextBoolean()) {
            draft.contentType = "application/x-www-form-urlencoded";
            draft.body = utf8("email=ada%40example.com&external_id=user-1");
            return "a form (JSON only here)";
        }
        draft.contentType = CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)];
        return "content type " + draft.contentType;
    }

    private String badSizeOrEncoding(Draft draft) {
        switch (random.nextInt(6)) {
            case 0 -> {
                int size = WebhookRequest.MAX_BODY_BYTES + 1 + random.nextInt(200_000);
                draft.body = utf8("{\"name\":\"" + "x".repeat(size) + "\"}");
                return "body of " + draft.body.length + " bytes";
            }
            case 1 -> {
                // fewer characters than the limit, more bytes
                draft.body = utf8("{\"name\":\"" + "€".repeat(WebhookRequest.MAX_BODY_BYTES / 3 + 10) + "\"}");
                return "body of " + draft.body.length + " bytes in three-byte characters";
            }
            case 2 -> {
                draft.base64 = true;
                draft.base64Override = pickOf("%%% not base64", "aGVsbG8", "====", "YQ==YQ==", "\u00e9\u00e9",
                        "eyJ" + "\n" + "hIjoxfQ==");
                return "base64 flag on a body that is not base64";
            }
            case 3 -> {
                byte[] body = draft.body.clone();
                String text = new String(body, StandardCharsets.UTF_8);
                int at = text.indexOf('@') > 0 ? text.indexOf('@') : text.length() / 2;
                byte[] prefix = utf8(text.substring(0, at));
                byte[] rest = utf8(text.substring(at));
                byte[] invalid = pickOf(new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xC3, 0x28},
                        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xC0, (byte) 0xAF});
                draft.body = concat(prefix, invalid, rest);
                draft.base64 = true;
                return "body with bytes that are not UTF-8, base64-encoded";
            }
            case 4 -> {
                // UTF-16 is not what JSON is sent in
                draft.body = new String(draft.body, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16);
                draft.base64 = true;
                return "body in UTF-16";
            }
            default -> {
                if (route.equals(INTERCOM)) {
                    draft.body = utf8("");
                    return "empty body";
                }
                // (blank, or padded with what trim() takes, is no key at all: a delivery of its own, not refused)
                String key = pickOf("k".repeat(256), "ключ", "k-duration_ms=1 outcome=x", "a\nb", "a b", "tab\there",
                        "k\u007f");
                draft.idempotencyKey = key;
                return "Idempotency-Key " + printable(abbreviate(key));
            }
        }
    }

    private String badMethod(Draft draft) {
        draft.method = METHODS[random.nextInt(METHODS.length)];
        return "method " + (draft.method.isEmpty() ? "(empty)" : draft.method);
    }

    /** Headers that change nothing: every delivery has some, so that they are no refusal's cause. */
    private void noise(Draft draft) {
        int count = random.nextInt(4);
        for (int i = 0; i < count; i++) {
            draft.extraHeaders.add(new String[] {pickOf("x-forwarded-for", "user-agent", "x-custom-" + serial, "referer",
                    "x-amz-date", "cookie"), pickOf(word() + " " + word(), "1.2.3.4, 5.6.7.8", "x".repeat(4000), "",
                    "<script>alert(1)</script>")});
        }
    }

    // ---------------------------------------------------------------- the event

    private String event(Draft draft) {
        ObjectNode event = CommittedEvents.read(file);
        ObjectNode headers = CommittedEvents.headers(event);
        headers.remove(List.of("x-signature", "x-hub-signature", "idempotency-key", "content-type",
                "content-length"));
        for (String[] header : draft.extraHeaders) {
            headers.put(header[0], header[1]);
        }
        if (draft.contentType != null) {
            headers.put(random.nextBoolean() ? "content-type" : "Content-Type", draft.contentType);
        }
        if (!route.equals(INTERCOM)) {
            headers.put("idempotency-key", draft.idempotencyKey);
        }
        if (draft.signature != null) {
            headers.put(route.equals(INTERCOM) ? "x-hub-signature" : "x-signature", draft.signature.apply(draft.body));
        }
        ObjectNode context = (ObjectNode) event.get("requestContext");
        context.put("requestId", "fuzz-" + UUID.randomUUID());
        ((ObjectNode) context.get("http")).put("method", draft.method);
        if (draft.base64Override != null) {
            event.put("body", draft.base64Override);
        } else {
            event.put("body", draft.base64 ? Base64.getEncoder().encodeToString(draft.body)
                    : new String(draft.body, StandardCharsets.UTF_8));
        }
        event.put("isBase64Encoded", draft.base64);
        headers.put("content-length", Integer.toString(draft.body.length));
        return event.toString();
    }

    /** A valid body of the route, varied: the hostile change is what must be refused. */
    private ObjectNode validBody() {
        ObjectNode body = JSON.createObjectNode();
        switch (route) {
            case LEADS -> {
                body.put("email", "fuzz-" + serial + "." + Integer.toHexString(random.nextInt()) + "@example.com");
                body.put("name", word() + " " + word());
                if (random.nextBoolean()) {
                    body.put("utm_source", word());
                }
            }
            case IDENTIFY -> {
                body.put("external_id", "fuzz-user-" + serial);
                body.put("email", "fuzz-" + serial + "@example.com");
                body.put("name", word() + " " + word());
            }
            default -> {
                body = CommittedEvents.body(file);
                body.put("id", "notif_fuzz_" + serial + "_" + UUID.randomUUID());
                body.put("created_at", Instant.now().getEpochSecond());
            }
        }
        return body;
    }

    // ---------------------------------------------------------------- helpers

    private void anyButText(ObjectNode body, String field) {
        switch (random.nextInt(5)) {
            case 0 -> body.put(field, random.nextLong());
            case 1 -> body.put(field, random.nextBoolean());
            case 2 -> body.putArray(field).add("ada@example.com");
            case 3 -> body.putObject(field).put("value", "x");
            default -> body.put(field, random.nextDouble());
        }
    }

    private void nest(ObjectNode node) {
        ObjectNode current = node;
        int depth = 1 + random.nextInt(50);
        for (int i = 0; i < depth; i++) {
            current = current.putObject("level" + i);
        }
        current.put("leaf", word());
    }

    private byte[] tamper(byte[] body) {
        if (body.length == 0) {
            return utf8("x");
        }
        byte[] changed = body.clone();
        int at = random.nextInt(changed.length);
        changed[at] = (byte) (changed[at] == 'x' ? 'y' : 'x');
        return changed;
    }

    private String word() {
        return WORDS[random.nextInt(WORDS.length)];
    }

    private String longText(int length) {
        StringBuilder text = new StringBuilder();
        while (text.codePointCount(0, text.length()) < length) {
            text.append(word());
        }
        return text.toString();
    }

    @SafeVarargs
    private <T> T pickOf(T... options) {
        return options[random.nextInt(options.length)];
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A lone surrogate has no UTF-8 form: it is sent as JSON's {@code \\uXXXX} escape, as a hostile sender would. */
    private static String escapeLoneSurrogates(String json) {
        StringBuilder out = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < json.length()
                    && Character.isLowSurrogate(json.charAt(i + 1));
            if (pair) {
                out.append(c).append(json.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…(" + text.length() + ")" : text;
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> out.append(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                || Character.isSurrogate((char) c) ? String.format("\\u%04x", c) : Character.toString(c)));
        return out.toString();
    }
}
