package dev.contactfunctions.testsupport;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.amazonaws.services.lambda.runtime.Context;
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
        return invoke(handler, event, null);
    }

    /** The handler's JSON answer to an invocation with this Lambda context (its deadline bounds the calls). */
    public static JsonNode invoke(RequestStreamHandler handler, String event, Context context) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), output, context);
            return JSON.readTree(output.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An API Gateway answer with its body parsed. */
    public static WebhookAnswer webhook(RequestStreamHandler handler, String event) {
        return WebhookAnswer.from(invoke(handler, event));
    }

    /** An API Gateway answer to an invocation with this Lambda context. */
    public static WebhookAnswer webhook(RequestStreamHandler handler, String event, Context context) {
        return WebhookAnswer.from(invoke(handler, event, context));
    }
}
