package dev.contactfunctions.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The part of AWS Lambda's Runtime API a function process talks to ({@code AWS_LAMBDA_RUNTIME_API}): it polls
 * {@code GET /2018-06-01/runtime/invocation/next} for an event and posts the result to
 * {@code .../invocation/{id}/response} (or {@code /error}). Quarkus's Lambda runtime does exactly this in a packaged
 * application, so the benchmark can hand a forked function its events and time-stamp each step.
 */
final class LambdaRuntimeEmulator implements AutoCloseable {

    private static final String NEXT = "/2018-06-01/runtime/invocation/next";
    private static final String INVOCATION = "/2018-06-01/runtime/invocation/";
    private static final String INIT_ERROR = "/2018-06-01/runtime/init/error";

    /** One invocation: when the function took the event, when it answered, and what it answered. */
    record Invocation(long deliveredAtNanos, long answeredAtNanos, String body, boolean error) {
        Duration duration() {
            return Duration.ofNanos(answeredAtNanos - deliveredAtNanos);
        }
    }

    private record Pending(String id, byte[] event, Duration deadline, CompletableFuture<Invocation> answer) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "lambda-runtime-api");
        thread.setDaemon(true);
        return thread;
    });
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Map<String, Pending> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Long> deliveredAt = new ConcurrentHashMap<>();
    private final AtomicLong firstPollNanos = new AtomicLong();
    private final CompletableFuture<Long> ready = new CompletableFuture<>();
    private final CompletableFuture<String> initError = new CompletableFuture<>();
    private volatile boolean closed;

    private LambdaRuntimeEmulator() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    static LambdaRuntimeEmulator start() {
        try {
            return new LambdaRuntimeEmulator();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value of {@code AWS_LAMBDA_RUNTIME_API}: host and port, no scheme. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues an event for the function's next poll; the future completes when the function answers. */
    CompletableFuture<Invocation> invoke(String eventJson, Duration deadline) {
        Pending pending = new Pending(UUID.randomUUID().toString(), eventJson.getBytes(StandardCharsets.UTF_8),
                deadline, new CompletableFuture<>());
        inFlight.put(pending.id(), pending);
        queue.add(pending);
        initError.thenAccept(message -> pending.answer().completeExceptionally(
                new IllegalStateException("the function failed to start: " + message)));
        return pending.answer();
    }

    /** Completes when the function first asks for an event: its start-up is done. */
    CompletableFuture<Long> ready() {
        return ready;
    }

    /** When the function first asked for an event (System.nanoTime), 0 before that: its start-up was done. */
    long firstPollNanos() {
        return firstPollNanos.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if ("GET".equals(exchange.getRequestMethod()) && path.equals(NEXT)) {
                if (firstPollNanos.compareAndSet(0, System.nanoTime())) {
                    ready.complete(firstPollNanos.get());
                }
                next(exchange);
            } else if (path.equals(INIT_ERROR)) {
                initError.complete(new String(body, StandardCharsets.UTF_8));
                ready.completeExceptionally(new IllegalStateException("init error: " + initError.join()));
                send(exchange, 202, new byte[0]);
            } else if (path.startsWith(INVOCATION) && (path.endsWith("/response") || path.endsWith("/error"))) {
                long answeredAt = System.nanoTime();
                String rest = path.substring(INVOCATION.length());
                String id = rest.substring(0, rest.indexOf('/'));
                Pending pending = inFlight.remove(id);
                send(exchange, 202, new byte[0]);
                if (pending != null) {
                    pending.answer().complete(new Invocation(deliveredAt.remove(id), answeredAt,
                            new String(body, StandardCharsets.UTF_8), path.endsWith("/error")));
                }
            } else {
                send(exchange, 404, new byte[0]);
            }
        } finally {
            exchange.close();
        }
    }

    /** Long-polls the queue, as Lambda holds the request until there is an event. */
    private void next(HttpExchange exchange) throws IOException {
        Pending pending = null;
        while (pending == null && !closed) {
            try {
                pending = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (pending == null) {
            return;
        }
        long deadline = System.currentTimeMillis() + pending.deadline().toMillis();
        exchange.getResponseHeaders().set("Lambda-Runtime-Aws-Request-Id", pending.id());
        exchange.getResponseHeaders().set("Lambda-Runtime-Deadline-Ms", Long.toString(deadline));
        exchange.getResponseHeaders().set("Lambda-Runtime-Invoked-Function-Arn",
                "arn:aws:lambda:eu-west-1:123456789012:function:bench");
        exchange.getResponseHeaders().set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000");
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        deliveredAt.put(pending.id(), System.nanoTime());
        send(exchange, 200, pending.event());
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        executor.shutdownNow();
    }
}
