package dev.contactfunctions.testsupport;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Invokes a function's handler object directly with an event's bytes, as the Lambda runtime does, without the mock
 * event server: for tests that run several handler instances in one application. No Lambda context, so the Intercom
 * client's own budget applies.
 */
public final class HandlerCalls {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HandlerCalls() {
    }

    /** The handler's JSON answer (an API Gateway response, or a partial batch response). */
    public static JsonNode invoke(RequestStreamHandler handler, String event) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), output, null);
            return JSON.readTree(output.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An API Gateway answer with its body parsed. */
    public static WebhookAnswer webhook(RequestStreamHandler handler, String event) {
        JsonNode response = invoke(handler, event);
        String body = response.path("body").asText("");
        try {
            return new WebhookAnswer(response.path("statusCode").asInt(), body.isEmpty() ? JSON.nullNode()
                    : JSON.readTree(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A webhook's answer: its status and JSON body. */
    public record WebhookAnswer(int status, JsonNode body) {

        public String errorCode() {
            return body.path("error").path("code").asText(null);
        }

        public String errorField() {
            return body.path("error").path("field").asText(null);
        }
    }
}
