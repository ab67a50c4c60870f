package dev.contactfunctions.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies our own webhooks' {@code X-Signature: t=<unix seconds>,v1=<hex>}: HMAC-SHA256 over
 * {@code <t>.<raw body>}, within a tolerance window (replay protection), compared in constant time against every
 * configured secret (rotation).
 */
public final class SignatureVerifier {

    public static final String HEADER = "X-Signature";
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private final List<String> secrets;
    private final Duration tolerance;
    private final Clock clock;

    public SignatureVerifier(List<String> secrets, Duration tolerance, Clock clock) {
        if (secrets.isEmpty()) {
            throw new IllegalStateException("No webhook signing secret is configured");
        }
        this.secrets = List.copyOf(secrets);
        this.tolerance = tolerance;
        this.clock = clock;
    }

    /** Throws a 401 {@link WebhookException} unless the request carries a valid, fresh signature. */
    public void verify(WebhookRequest request) {
        String header = request.header(HEADER).orElseThrow(
                () -> new WebhookException(401, "missing_signature", "The " + HEADER + " header is missing"));
        String timestamp = null;
        List<String> candidates = new java.util.ArrayList<>();
        for (String part : header.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length == 2 && kv[0].equals("t")) {
                timestamp = kv[1];
            } else if (kv.length == 2 && kv[0].equals("v1")) {
                candidates.add(kv[1]);
            }
        }
        if (timestamp == null || candidates.isEmpty()) {
            throw new WebhookException(401, "malformed_signature", "The " + HEADER + " header must be t=<unix seconds>,v1=<hex>");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            throw new WebhookException(401, "malformed_signature", "The signature timestamp is not a number");
        }
        if (!withinTolerance(seconds)) {
            throw new WebhookException(401, "stale_signature",
                    "The signature timestamp is outside the " + tolerance.toMinutes() + "-minute tolerance");
        }
        byte[] signedContent = concat((timestamp + ".").getBytes(StandardCharsets.UTF_8), request.rawBody());
        for (String secret : secrets) {
            byte[] expected = hmac("HmacSHA256", secret, signedContent);
            for (String candidate : candidates) {
                if (MessageDigest.isEqual(expected, hexOrEmpty(candidate))) {
                    return;
                }
            }
        }
        throw new WebhookException(401, "invalid_signature", "The signature does not match the body");
    }

    /**
     * Whether {@code seconds} is within the tolerance of the clock. Compared as numbers first: a timestamp beyond what
     * an {@link Instant} holds (any 17-digit one) is as stale as one from yesterday, and must not reach the clock.
     */
    private boolean withinTolerance(long seconds) {
        Instant now = clock.instant();
        long slack = tolerance.toSeconds() + 1;
        if (seconds < now.getEpochSecond() - slack || seconds > now.getEpochSecond() + slack) {
            return false;
        }
        return Duration.between(Instant.ofEpochSecond(seconds), now).abs().compareTo(tolerance) <= 0;
    }

    /** The header value for a body signed now with a secret: what senders (and tests) compute. */
    public static String sign(String secret, Instant at, byte[] rawBody) {
        String timestamp = Long.toString(at.getEpochSecond());
        byte[] signed = concat((timestamp + ".").getBytes(StandardCharsets.UTF_8), rawBody);
        return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(hmac("HmacSHA256", secret, signed));
    }

    static byte[] hmac(String algorithm, String secret, byte[] content) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(content);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(algorithm + " is not available", e);
        }
    }

    static byte[] hexOrEmpty(String hex) {
        try {
            return HexFormat.of().parseHex(hex.trim().toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
