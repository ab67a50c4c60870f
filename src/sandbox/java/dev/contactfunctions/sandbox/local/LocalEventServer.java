package dev.contactfunctions.sandbox.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The local run's event server, in place of Quarkus's Lambda mock event server, which listens on every interface and
 * has no setting for the address: this one listens on {@code local-run.host} (127.0.0.1 unless told otherwise), so
 * that the functions of a developer's machine, with their documented default secrets, are not reachable from its
 * network. It does what the mock event server does: an event POSTed to any path waits for the function's answer, which
 * is the HTTP answer (500 with the error when the function threw); under {@value #RUNTIME_API} it serves the subset of
 * the Lambda Runtime API that Quarkus's poll loop calls (next invocation, response, error, requeue), pointed at it by
 * {@code quarkus-internal.aws-lambda.test-api}.
 */
public final class LocalEventServer implements AutoCloseable {

    static final String RUNTIME_API = "/_lambda_/2018-06-01/runtime";
    private static final String INVOCATION = RUNTIME_API + "/invocation/";
    private static final String REQUEST_ID = "Lambda-Runtime-Aws-Request-Id";
    private static final String TRACE_ID = "Lambda-Runtime-Trace-Id";
    /** Longest an event waits for the function: Lambda's own limit. */
    private static final long ANSWER_TIMEOUT_MINUTES = 15;
    private static final Logger LOG = Logger.getLogger(LocalEventServer.class);

    /** An event and, once the function has answered, its answer. */
    private record Invocation(String id, byte[] event, CompletableFuture<Answer> answer) {
    }

    private record Answer(int status, byte[] body) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final BlockingQueue<Invocation> waiting = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> running = new ConcurrentHashMap<>();

    private LocalEventServer(InetAddress host, int port) throws IOException {
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "local-event-server-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.server = HttpServer.create(new InetSocketAddress(host, port), 50);
        server.setExecutor(executor);
        server.createContext("/", this::event);
        server.createContext(RUNTIME_API + "/", this::runtimeApi);
        // from a daemon thread, so that its dispatcher thread is one too: in dev mode it is never stopped (it outlives
        // live reloads), and must not keep the JVM alive once dev mode quits
        Thread starter = new Thread(server::start, "local-event-server-start");
        starter.setDaemon(true);
        starter.start();
        try {
            starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Listening on {@code host} (never every interface unless that is what {@code host} says) and {@code port}. */
    public static LocalEventServer start(InetAddress host, int port) {
        try {
            return new LocalEventServer(host, port);
        } catch (IOException e) {
            throw new UncheckedIOException("the local run's event server cannot listen on " + host.getHostAddress() + ":"
                    + port, e);
        }
    }

    /** The address a {@code local-run.host} setting names (an IP address or a host name). */
    static InetAddress address(String host) {
        try {
            return InetAddress.getByName(host.strip());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("local-run.host is not an address: " + host, e);
        }
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        waiting.forEach(invocation -> invocation.answer().complete(stopped()));
        running.values().forEach(invocation -> invocation.answer().complete(stopped()));
    }

    // ---------------------------------------------------------------- events

    private void event(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                send(exchange, 405, "{\"message\":\"POST an AWS event to this server\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            Invocation invocation = new Invocation(UUID.randomUUID().toString(), readAll(exchange.getRequestBody()),
                    new CompletableFuture<>());
            waiting.add(invocation);
            Answer answer;
            try {
                answer = invocation.answer().get(ANSWER_TIMEOUT_MINUTES, TimeUnit.MINUTES);
            } catch (TimeoutException | ExecutionException e) {
                answer = new Answer(504, "{\"message\":\"the function did not answer\"}".getBytes(StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            send(exchange, answer.status(), answer.body());
        }
    }

    // ---------------------------------------------------------------- the Lambda Runtime API, for the poll loop

    private void runtimeApi(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.equals(INVOCATION + "next")) {
                next(exchange);
                return;
            }
            byte[] body = readAll(exchange.getRequestBody());
            if (path.startsWith(INVOCATION)) {
                String[] parts = path.substring(INVOCATION.length()).split("/");
                Invocation invocation = parts.length == 2 ? running.remove(parts[0]) : null;
                if (invocation != null && parts[1].equals("response")) {
                    invocation.answer().complete(new Answer(200, body));
                } else if (invocation != null && parts[1].equals("error")) {
                    invocation.answer().complete(new Answer(500, body));
                } else if (invocation != null && parts[1].equals("requeue")) {
                    waiting.add(invocation);
                } else {
                    send(exchange, 404, new byte[0]);
                    return;
                }
            } else if (path.equals(RUNTIME_API + "/init/error")) {
                LOG.errorf("the function failed to initialize: %s", new String(body, StandardCharsets.UTF_8));
            }
            send(exchange, 202, new byte[0]);
        }
    }

    /** Blocks until an event is there (the poll loop's long poll), then hands it out. */
    private void next(HttpExchange exchange) throws IOException {
        Invocation invocation;
        try {
            invocation = waiting.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        running.put(invocation.id(), invocation);
        exchange.getResponseHeaders().add(REQUEST_ID, invocation.id());
        exchange.getResponseHeaders().add(TRACE_ID, "Root=1-" + invocation.id());
        send(exchange, 200, invocation.event());
    }

    private static Answer stopped() {
        return new Answer(503, "{\"message\":\"the local run stopped or reloaded; send the event again\"}".getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }
}
