package dev.contactfunctions.ledger;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

/**
 * A real DynamoDB-compatible server for tests: dynalite (npm), one per test JVM, stopped when the JVM exits. Uses
 * {@code DYNALITE_ENDPOINT} when it names a running one; otherwise starts dynalite from {@code DYNALITE_HOME}
 * (default {@code ~/.cache/dynalite}, where the build installs it before the tests) on a free local port. Tests keep
 * apart by creating tables with fresh names.
 */
public final class Dynalite {

    public static final String HOW_TO_GET_IT = "dynalite is not installed in " + home()
            + ": ./mvnw verify installs it there (it needs Node.js 20 or later with npm), or set DYNALITE_ENDPOINT";

    /** The address of the server this JVM started. */
    private static final String STARTED_PROPERTY = "dev.contactfunctions.dynalite.started";

    private static Dynalite shared;

    private final URI endpoint;

    private Dynalite(URI endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * The JVM's server, started on first use; fails with {@link #HOW_TO_GET_IT} when dynalite is not installed. Each
     * Quarkus application of a test run loads this class anew, so the server's address is kept in a system property
     * ({@value #STARTED_PROPERTY}), which every class loader of the JVM sees: one server per JVM, not per application.
     */
    public static Dynalite shared() {
        synchronized (System.getProperties()) {
            if (shared == null) {
                String given = System.getenv("DYNALITE_ENDPOINT");
                String started = System.getProperty(STARTED_PROPERTY);
                if (given != null && !given.isBlank()) {
                    shared = new Dynalite(URI.create(given.trim()));
                } else if (started != null) {
                    shared = new Dynalite(URI.create(started));
                } else if (Files.isExecutable(bin())) {
                    shared = new Dynalite(start(bin()));
                    System.setProperty(STARTED_PROPERTY, shared.endpoint.toString());
                } else {
                    throw new IllegalStateException(HOW_TO_GET_IT);
                }
            }
            return shared;
        }
    }

    private static Path home() {
        return Path.of(Optional.ofNullable(System.getenv("DYNALITE_HOME"))
                .orElse(System.getProperty("user.home") + "/.cache/dynalite"));
    }

    private static Path bin() {
        return home().resolve("node_modules").resolve(".bin").resolve("dynalite");
    }

    private static URI start(Path bin) {
        int port = freePort();
        try {
            Process process = new ProcessBuilder(bin.toString(), "--host", "127.0.0.1", "--port",
                    Integer.toString(port), "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0")
                    .redirectErrorStream(true)
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            // dynalite prints one line once it listens
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).get(30, TimeUnit.SECONDS);
            if (line == null || !line.contains("listening")) {
                process.destroy();
                throw new IllegalStateException("dynalite did not start: " + line);
            }
            return URI.create("http://127.0.0.1:" + port);
        } catch (Exception e) {
            throw new IllegalStateException("dynalite could not be started from " + bin, e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A client of this server (placeholder region and credentials, which dynalite ignores). */
    public DynamoDbClient client() {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    /** Creates a ledger table with a fresh name (tests never share one) and returns the name once it is active. */
    public String createLedgerTable() {
        String table = "ledger-" + UUID.randomUUID();
        try (DynamoDbClient dynamo = client();
                DynamoDbWaiter waiter = DynamoDbWaiter.builder().client(dynamo)
                        .overrideConfiguration(o -> o.maxAttempts(200)
                                .backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(50))))
                        .build()) {
            dynamo.createTable(DynamoDbLedger.tableDefinition(table));
            waiter.waitUntilTableExists(r -> r.tableName(table));
        }
        return table;
    }
}
