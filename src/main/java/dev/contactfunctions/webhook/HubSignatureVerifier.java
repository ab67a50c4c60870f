package dev.contactfunctions.webhook;

import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Verifies Intercom's notifications: {@code X-Hub-Signature: sha1=<hex>}, HMAC-SHA1 of the raw body with the app's
 * client secret, compared in constant time.
 */
public final class HubSignatureVerifier {

    public static final String HEADER = "X-Hub-Signature";

    private final String clientSecret;

    public HubSignatureVerifier(String clientSecret) {
        if (clientSecret == null || clientSecret.isBlank()) {
            throw new IllegalStateException("No Intercom client secret is configured");
        }
        this.clientSecret = clientSecret;
    }

    public void verify(WebhookRequest request) {
        String header = request.header(HEADER).orElseThrow(
                () -> new WebhookException(401, "missing_signature", "The " + HEADER + " header is missing"));
        if (!header.startsWith("sha1=")) {
            throw new WebhookException(401, "malformed_signature", "The " + HEADER + " header must be sha1=<hex>");
        }
        byte[] expected = SignatureVerifier.hmac("HmacSHA1", clientSecret, request.rawBody());
        if (!MessageDigest.isEqual(expected, SignatureVerifier.hexOrEmpty(header.substring(5)))) {
            throw new WebhookException(401, "invalid_signature", "The signature does not match the body");
        }
    }

    public static String sign(String clientSecret, byte[] rawBody) {
        return "sha1=" + HexFormat.of().formatHex(SignatureVerifier.hmac("HmacSHA1", clientSecret, rawBody));
    }
}
