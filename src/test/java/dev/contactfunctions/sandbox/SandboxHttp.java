package dev.contactfunctions.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A plain JDK HTTP client for the sandbox: every call carries the token and {@code Accept: application/json}. */
final class SandboxHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final IntercomSandbox sandbox;

    SandboxHttp(IntercomSandbox sandbox) {
        this.sandbox = sandbox;
    }

    record Reply(int status, JsonNode json, String body, HttpHeaders headers) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** {@code errors[0].code} of an error envelope. */
        String errorCode() {
            return json.path("errors").path(0).path("code").asText(null);
        }

        String errorMessage() {
            return json.path("errors").path(0).path("message").asText(null);
        }
    }

    Reply get(String path) {
        return send(request(path).GET());
    }

    Reply delete(String path) {
        return send(request(path).DELETE());
    }

    Reply post(String path, String json) {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Reply put(String path, String json) {
        return send(request(path).PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A request with the token, Accept and Content-Type set; adjust it and {@link #send} it. */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + sandbox.accessToken())
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .header("Intercom-Version", "2.14");
    }

    Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), parse(response.body()), response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> sendRaw(HttpRequest request) throws IOException, InterruptedException {
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode(); // HTML fault bodies
        }
    }

    // ---- shortcuts

    /** Creates a contact and answers its id; fails the test on anything but 200. */
    String create(String json) {
        Reply reply = post("/contacts", json);
        if (reply.status() != 200) {
            throw new AssertionError("create answered " + reply.status() + ": " + reply.body());
        }
        return reply.json().get("id").asText();
    }

    Reply search(String query) {
        return post("/contacts/search", "{\"query\":" + query + "}");
    }
}
