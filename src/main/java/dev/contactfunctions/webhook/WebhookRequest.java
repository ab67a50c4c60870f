package dev.contactfunctions.webhook;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

/**
 * An HTTP API (payload 2.0) request with its raw body bytes decoded and headers looked up case-insensitively.
 *
 * @param requestId API Gateway's id of the request (unique per request), or null when the event has none
 * @param query the query string's parameters, as API Gateway decoded them (a repeated one comma-joined)
 */
public record WebhookRequest(String method, String path, Map<String, String> headers, byte[] rawBody,
        String requestId, Map<String, String> query) {

    /** Bodies above this size are refused with 413 before they are parsed or verified. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** The optional header naming a delivery: the same key is the same delivery, answered once. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final Pattern KEY = Pattern.compile("^[\\x21-\\x7E]{1,255}$");

    public static WebhookRequest from(APIGatewayV2HTTPEvent event) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (event.getHeaders() != null) {
            headers.putAll(event.getHeaders());
        }
        String method = event.getRequestContext() != null && event.getRequestContext().getHttp() != null
                ? event.getRequestContext().getHttp().getMethod()
                : null;
        String body = event.getBody() == null ? "" : event.getBody();
        byte[] raw;
        if (event.getIsBase64Encoded()) {
            try {
                raw = Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw new WebhookException(400, "malformed_body", "The body is marked base64 but is not valid base64");
            }
        } else {
            raw = body.getBytes(StandardCharsets.UTF_8);
        }
        String requestId = event.getRequestContext() == null ? null : event.getRequestContext().getRequestId();
        Map<String, String> query = new TreeMap<>();
        if (event.getQueryStringParameters() != null) {
            event.getQueryStringParameters().forEach((name, value) -> {
                if (name != null && value != null) {
                    query.put(name, value);
                }
            });
        }
        return new WebhookRequest(method == null ? null : method.toUpperCase(Locale.ROOT), event.getRawPath(),
                headers, raw, requestId == null || requestId.isBlank() ? null : requestId, query);
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** A query string parameter; empty when it is absent or empty. */
    public Optional<String> queryParameter(String name) {
        return Optional.ofNullable(query.get(name)).filter(v -> !v.isEmpty());
    }

    /** The media type without parameters, lower-cased; empty when no Content-Type was sent. */
    public Optional<String> mediaType() {
        return header("Content-Type").map(v -> v.split(";", 2)[0].trim().toLowerCase(Locale.ROOT));
    }

    /** The body as text: UTF-8, as JSON and forms are sent; a body that is not valid UTF-8 is refused (400). */
    public String bodyText() {
        return RequestBodies.strictUtf8(rawBody)
                .orElseThrow(() -> new WebhookException(400, "malformed_body", "The body is not valid UTF-8"));
    }

    /**
     * The delivery's id: its {@code Idempotency-Key} (1 to 255 visible ASCII characters, else a 400), or, without
     * one, an id made from API Gateway's request id, so that each request is a delivery of its own.
     */
    public String deliveryId() {
        Optional<String> key = header(IDEMPOTENCY_KEY);
        if (key.isPresent()) {
            if (!KEY.matcher(key.get()).matches()) {
                throw new WebhookException(400, "invalid_idempotency_key",
                        "Idempotency-Key must be 1 to 255 visible ASCII characters", IDEMPOTENCY_KEY);
            }
            return key.get();
        }
        return "request-" + (requestId == null ? UUID.randomUUID().toString() : requestId);
    }

    public void requireBodyWithinLimit() {
        if (rawBody.length > MAX_BODY_BYTES) {
            throw new WebhookException(413, "body_too_large",
                    "The body is " + rawBody.length + " bytes; the limit is " + MAX_BODY_BYTES);
        }
    }
}
