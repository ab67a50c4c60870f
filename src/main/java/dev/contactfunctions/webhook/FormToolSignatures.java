package dev.contactfunctions.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The form tools' own webhook signatures, verified over the raw body as each vendor documents it, every comparison in
 * constant time and against every configured key (rotation):
 * <ul>
 * <li>Typeform: {@code Typeform-Signature: sha256=<base64 HMAC-SHA256 of the body>} with the webhook's secret;</li>
 * <li>Tally: {@code Tally-Signature: <base64 HMAC-SHA256 of the body>} with the webhook's signing secret;</li>
 * <li>Webflow (webhooks of an OAuth application): {@code x-webflow-timestamp: <unix milliseconds>} and
 * {@code x-webflow-signature: <hex HMAC-SHA256 of "<timestamp>:<body>">} with the application's client secret, refused
 * outside the replay window;</li>
 * <li>a secret token in the URL ({@code ?token=}), for senders that cannot sign (Webflow's site webhooks).</li>
 * </ul>
 * Every refusal is a 401 {@link WebhookException}: {@code missing_signature}, {@code malformed_signature},
 * {@code stale_signature}, {@code invalid_signature}, {@code invalid_token}.
 */
public final class FormToolSignatures {

    public static final String TYPEFORM_HEADER = "Typeform-Signature";
    public static final String TALLY_HEADER = "Tally-Signature";
    public static final String WEBFLOW_SIGNATURE_HEADER = "x-webflow-signature";
    public static final String WEBFLOW_TIMESTAMP_HEADER = "x-webflow-timestamp";
    public static final String TOKEN_PARAMETER = "token";

    private FormToolSignatures() {
    }

    public static void verifyTypeform(WebhookRequest request, List<String> keys) {
        String header = required(request, TYPEFORM_HEADER);
        if (!header.startsWith("sha256=")) {
            throw new WebhookException(401, "malformed_signature",
                    "The " + TYPEFORM_HEADER + " header must be sha256=<base64>");
        }
        requireMatch(base64OrEmpty(header.substring("sha256=".length())), keys, request.rawBody());
    }

    public static void verifyTally(WebhookRequest request, List<String> keys) {
        requireMatch(base64OrEmpty(required(request, TALLY_HEADER)), keys, request.rawBody());
    }

    public static void verifyWebflow(WebhookRequest request, List<String> keys, Duration tolerance, Clock clock) {
        String signature = required(request, WEBFLOW_SIGNATURE_HEADER);
        String timestamp = required(request, WEBFLOW_TIMESTAMP_HEADER);
        long millis;
        try {
            millis = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            throw new WebhookException(401, "malformed_signature",
                    "The " + WEBFLOW_TIMESTAMP_HEADER + " header is not a number of milliseconds");
        }
        long now = clock.millis();
        // compared as numbers: a timestamp no clock reads is as stale as yesterday's, and never overflows
        if (millis < now - tolerance.toMillis() || millis > now + tolerance.toMillis()) {
            throw new WebhookException(401, "stale_signature",
                    "The signature timestamp is outside the " + tolerance.toMinutes() + "-minute tolerance");
        }
        byte[] signed = SignatureVerifier.concat((timestamp + ":").getBytes(StandardCharsets.UTF_8),
                request.rawBody());
        requireMatch(SignatureVerifier.hexOrEmpty(signature), keys, signed);
    }

    /** The URL's {@code token} must equal one of the tokens; compared as digests, so neither length nor bytes leak. */
    public static void verifyUrlToken(WebhookRequest request, List<String> tokens) {
        String token = request.queryParameter(TOKEN_PARAMETER).orElseThrow(() -> new WebhookException(401,
                "missing_signature", "The request is neither signed nor carries the URL's " + TOKEN_PARAMETER));
        byte[] sent = sha256(token.getBytes(StandardCharsets.UTF_8));
        boolean matches = false;
        for (String expected : tokens) {
            matches |= MessageDigest.isEqual(sent, sha256(expected.getBytes(StandardCharsets.UTF_8)));
        }
        if (!matches) {
            throw new WebhookException(401, "invalid_token", "The URL's " + TOKEN_PARAMETER + " is not this route's");
        }
    }

    /** {@code Typeform-Signature} of a body, as Typeform computes it. */
    public static String signTypeform(String key, byte[] rawBody) {
        return "sha256=" + Base64.getEncoder().encodeToString(SignatureVerifier.hmac("HmacSHA256", key, rawBody));
    }

    /** {@code Tally-Signature} of a body, as Tally computes it. */
    public static String signTally(String key, byte[] rawBody) {
        return Base64.getEncoder().encodeToString(SignatureVerifier.hmac("HmacSHA256", key, rawBody));
    }

    /** {@code x-webflow-signature} of a body sent at {@code timestampMillis}, as Webflow computes it. */
    public static String signWebflow(String key, long timestampMillis, byte[] rawBody) {
        byte[] signed = SignatureVerifier.concat((timestampMillis + ":").getBytes(StandardCharsets.UTF_8), rawBody);
        return HexFormat.of().formatHex(SignatureVerifier.hmac("HmacSHA256", key, signed));
    }

    private static String required(WebhookRequest request, String header) {
        return request.header(header).orElseThrow(
                () -> new WebhookException(401, "missing_signature", "The " + header + " header is missing"));
    }

    private static void requireMatch(byte[] sent, List<String> keys, byte[] signedContent) {
        for (String key : keys) {
            if (MessageDigest.isEqual(SignatureVerifier.hmac("HmacSHA256", key, signedContent), sent)) {
                return;
            }
        }
        throw new WebhookException(401, "invalid_signature", "The signature does not match the body");
    }

    private static byte[] base64OrEmpty(String text) {
        try {
            return Base64.getDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
