package dev.contactfunctions.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * AWS Secrets Manager on a free local port, speaking its JSON protocol ({@code POST /} with
 * {@code X-Amz-Target: secretsmanager.GetSecretValue} and an {@code application/x-amz-json-1.1} body), so that the
 * code reads secrets through the real AWS SDK client. A test rotates a secret mid-run ({@link #put}, a new version,
 * as {@code aws secretsmanager put-secret-value} makes one), makes reads fail as AWS would ({@link #failWith}), and
 * sees every read ({@link #reads}).
 */
public final class FakeSecretsManager implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A secret's current version. */
    private record Version(String value, String versionId, Instant created) {
    }

    /** An error answer: HTTP status and AWS error code, e.g. 400 AccessDeniedException. */
    private record Failure(int status, String code) {
    }

    private final HttpServer server;
    private final Map<String, Version> secrets = new ConcurrentHashMap<>();
    private final List<String> reads = new CopyOnWriteArrayList<>();
    private volatile Failure failure;

    private FakeSecretsManager(HttpServer server) {
        this.server = server;
    }

    public static FakeSecretsManager start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            FakeSecretsManager fake = new FakeSecretsManager(server);
            server.createContext("/", fake::answer);
            server.start();
            return fake;
        } catch (IOException e) {
            throw new IllegalStateException("the fake Secrets Manager could not start", e);
        }
    }

    /** The endpoint to give the SDK client ({@code secrets.endpoint}). */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Stores a new current version of the secret (creating it if needed). */
    public FakeSecretsManager put(String arn, String value) {
        secrets.put(arn, new Version(value, UUID.randomUUID().toString(), Instant.now()));
        return this;
    }

    /** Every read from now on fails with this status and AWS error code, until {@link #answerNormally}. */
    public void failWith(int status, String code) {
        failure = new Failure(status, code);
    }

    public void answerNormally() {
        failure = null;
    }

    /** The ARNs read (answered or not), oldest first. */
    public List<String> reads() {
        return List.copyOf(reads);
    }

    public void clearReads() {
        reads.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode request;
            try (InputStream body = exchange.getRequestBody()) {
                request = JSON.readTree(body);
            }
            if (!"POST".equals(exchange.getRequestMethod()) || !"secretsmanager.GetSecretValue".equals(target)
                    || request == null || !request.path("SecretId").isTextual()) {
                error(exchange, 400, "InvalidRequestException", "only GetSecretValue with a SecretId is served here");
                return;
            }
            String arn = request.get("SecretId").asText();
            reads.add(arn);
            Failure now = failure;
            if (now != null) {
                error(exchange, now.status(), now.code(), "failing as told by the test");
                return;
            }
            Version version = secrets.get(arn);
            if (version == null) {
                error(exchange, 400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
                return;
            }
            ObjectNode answer = JSON.createObjectNode()
                    .put("ARN", arn)
                    .put("Name", arn.substring(arn.lastIndexOf(':') + 1))
                    .put("VersionId", version.versionId())
                    .put("SecretString", version.value())
                    .put("CreatedDate", version.created().getEpochSecond());
            answer.putArray("VersionStages").add("AWSCURRENT");
            send(exchange, 200, answer);
        }
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        send(exchange, status, JSON.createObjectNode().put("__type", code).put("message", message));
    }

    private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
