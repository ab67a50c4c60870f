package dev.contactfunctions.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A webhook's answer as a test reads it from the function's API Gateway response: the status, the headers (looked up
 * in any case) and the JSON body (a JSON null when the body is empty).
 */
public record WebhookAnswer(int status, Map<String, String> headers, JsonNode body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads an API Gateway (HTTP API, payload 2.0) response as the handler wrote it. */
    public static WebhookAnswer from(JsonNode response) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        response.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
        String body = response.path("body").asText("");
        try {
            return new WebhookAnswer(response.path("statusCode").asInt(), headers,
                    body.isEmpty() ? JSON.nullNode() : JSON.readTree(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String errorCode() {
        return body.path("error").path("code").asText(null);
    }

    public String errorField() {
        return body.path("error").path("field").asText(null);
    }
}
