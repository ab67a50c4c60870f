package dev.contactfunctions.webhook;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;

import dev.contactfunctions.intercom.IntercomException;
import dev.contactfunctions.invocation.NotConfiguredException;
import dev.contactfunctions.invocation.JsonMapping;

/** Builds API Gateway HTTP API (payload 2.0) answers with JSON bodies. */
public final class ApiResponses {

    private static final Logger LOG = Logger.getLogger(ApiResponses.class);
    /** The settings this instance has already reported missing: one error line each, not one per request. */
    private static final Set<String> REPORTED_MISSING = ConcurrentHashMap.newKeySet();

    private ApiResponses() {
    }

    public static APIGatewayV2HTTPResponse json(int status, Object body) {
        return json(status, body, Map.of());
    }

    public static APIGatewayV2HTTPResponse json(int status, Object body, Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.putAll(extraHeaders);
        try {
            return APIGatewayV2HTTPResponse.builder()
                    .withStatusCode(status)
                    .withHeaders(headers)
                    .withBody(JsonMapping.mapper().writeValueAsString(body))
                    .withIsBase64Encoded(false)
                    .build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("answer could not be serialized", e);
        }
    }

    /** {@code {"error": {"code", "message", "field"}}}; {@code field} is left out when null. */
    public static APIGatewayV2HTTPResponse error(int status, String code, String message, String field) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        if (field != null) {
            error.put("field", field);
        }
        return json(status, Map.of("error", error));
    }

    public static APIGatewayV2HTTPResponse error(WebhookException e) {
        return error(e.status(), e.code(), e.getMessage(), e.field());
    }

    /**
     * 202 {@code {"status": "queued", "delivery_id": ...}}: Intercom could not take the delivery within this
     * invocation's budget, so it waits on the deferral queue and will be processed once; repeating it is not needed.
     */
    public static APIGatewayV2HTTPResponse queued(String deliveryId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "queued");
        body.put("delivery_id", deliveryId);
        return json(202, body);
    }

    /**
     * 409 {@code delivery_in_progress} with {@code Retry-After}: another invocation is processing the same delivery (a
     * concurrent duplicate); repeated later, it is answered with that invocation's outcome.
     */
    public static APIGatewayV2HTTPResponse inProgress(String message, long retryAfterSeconds) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", "delivery_in_progress");
        error.put("message", message);
        error.put("retry_after_seconds", retryAfterSeconds);
        return json(409, Map.of("error", error), Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    /**
     * 503 {@code not_configured}: the deployment lacks a setting (a secret, the Intercom token, the hashing key); the
     * message names the setting, never a value. Logged once per instance as an error, without a stack trace. Nothing
     * was written: the sender's retry succeeds once the setting is there.
     */
    public static APIGatewayV2HTTPResponse notConfigured(NotConfiguredException missing) {
        if (REPORTED_MISSING.add(missing.setting())) {
            LOG.errorf("not_configured: %s; every request is answered 503 until it is set (logged once per instance)",
                    missing.getMessage());
        }
        return error(503, "not_configured", missing.getMessage() + "; nothing was processed, retry once it is set",
                null);
    }

    /** 503 with {@code Retry-After}: Intercom could not be reached within this invocation's budget. */
    public static APIGatewayV2HTTPResponse unavailable(String message, long retryAfterSeconds) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", "intercom_unavailable");
        error.put("message", message);
        error.put("retry_after_seconds", retryAfterSeconds);
        return json(503, Map.of("error", error), Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    /**
     * The seconds a sender should wait after Intercom could not be reached: until Intercom's rate-limit window resets
     * (and one more), else {@code fallback}.
     */
    public static long retryAfterSeconds(IntercomException failure, Clock clock, long fallback) {
        if (failure instanceof IntercomException.RateLimited limited && limited.resetAt().isPresent()) {
            long seconds = Duration.between(clock.instant(), limited.resetAt().get()).toSeconds() + 1;
            return Math.max(1, seconds);
        }
        return fallback;
    }
}
