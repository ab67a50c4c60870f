package dev.contactfunctions.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * Serves the Intercom endpoints over the {@link Workspace}, each request on its own thread, so that concurrent calls
 * wait out the added latency together, as Intercom serves them. Each request goes: planned fault, added latency,
 * authentication (401, no rate-limit headers), rate limit (429 past the window's limit), {@code Accept} check
 * (406 when it leaves JSON out, {@link AcceptHeader}), then the endpoint. {@code /_sandbox/*} serves inspection JSON without authentication. Writes a
 * {@link Fault.LandsAnyway} scheduled for later land before the first request that finds their time has come.
 */
final class SandboxServer implements HttpHandler {

    private static final String JSON = "application/json; charset=utf-8";

    private final Workspace workspace;
    /**
     * The workspace serves one request at a time; requests take their turn in the order they come (a fair lock), so
     * that a caller's request is never passed over for seconds by a stream of others', as none is at Intercom.
     */
    private final ReentrantLock turns = new ReentrantLock(true);
    private final RateLimiter rateLimiter;
    private final FaultInjector faults;
    private final SandboxStats stats;
    private final String expectedAuthorization;
    private volatile Duration latency;
    /** Played on the sandbox's clock instead of waited: see {@link IntercomSandbox#setClockLatency}. */
    private volatile Runnable clockLatency = () -> { };
    private final PriorityQueue<LateWrite> lateWrites = new PriorityQueue<>(
            Comparator.comparing(LateWrite::landsAt).thenComparingLong(LateWrite::sequence));
    private long lateWriteSequence;

    /** A request whose answer the client never got, waiting to land at {@code landsAt} on the sandbox clock. */
    private record LateWrite(Instant landsAt, long sequence, Endpoint.Match match, Map<String, String> query,
            byte[] body) {
    }

    SandboxServer(Workspace workspace, RateLimiter rateLimiter, FaultInjector faults, SandboxStats stats,
            String accessToken, Duration latency) {
        this.workspace = workspace;
        this.rateLimiter = rateLimiter;
        this.faults = faults;
        this.stats = stats;
        this.expectedAuthorization = "Bearer " + accessToken;
        this.latency = latency;
    }

    void setLatency(Duration latency) {
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency cannot be negative");
        }
        this.latency = latency;
    }

    void setClockLatency(Runnable advanceTheClock) {
        this.clockLatency = advanceTheClock;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        if (path.startsWith("/_sandbox/")) {
            inspect(exchange, path);
            return;
        }
        long started = System.nanoTime();
        stats.arrived();
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        Optional<Endpoint.Match> match = Endpoint.match(method, path);
        Endpoint endpoint = match.map(Endpoint.Match::endpoint).orElse(null);
        boolean recorded = false;
        try {
            Answer answer = answer(exchange, match.orElse(null));
            // counted (and timed) before the answer leaves, so a caller that got it can rely on the counters
            stats.record(endpoint, answer == null ? 0 : answer.status(), System.nanoTime() - started);
            recorded = true;
            if (answer != null) {
                send(exchange, answer.status(), answer.contentType(), answer.body());
            }
        } catch (IOException | RuntimeException e) {
            if (!recorded) { // once counted, a send that fails (the client gave up) is not counted again
                stats.record(endpoint, 0, System.nanoTime() - started);
            }
            throw e;
        } finally {
            exchange.close(); // without an answer sent, this drops the connection
        }
    }

    private JsonNode inTurn(Supplier<JsonNode> request) {
        turns.lock();
        try {
            return request.get();
        } finally {
            turns.unlock();
        }
    }

    private record Answer(int status, String contentType, byte[] body) {
        static Answer error(String requestId, ApiError error) {
            return new Answer(error.status, JSON,
                    errorBody(requestId, error.code, error.getMessage()).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Lands every late write whose time has come on the sandbox clock, in the order they land. */
    void landDueWrites() {
        synchronized (lateWrites) {
            Instant now = workspace.clock().instant();
            while (!lateWrites.isEmpty() && !lateWrites.peek().landsAt().isAfter(now)) {
                LateWrite write = lateWrites.poll();
                land(write.landsAt(), write.match(), write.query(), write.body());
            }
        }
    }

    /** Writes still waiting to land. */
    int pendingLateWrites() {
        synchronized (lateWrites) {
            return lateWrites.size();
        }
    }

    private void land(Instant at, Endpoint.Match match, Map<String, String> query, byte[] body) {
        try {
            workspace.asOf(at, () -> dispatch(match, query, body));
        } catch (ApiError e) {
            // Intercom would have refused it: nothing lands, and nobody hears of it
        }
    }

    /** Carries out the request of a {@link Fault.LandsAnyway} now or later; answers the fault the client gets. */
    private Fault carryOut(Fault.LandsAnyway fault, HttpExchange exchange, Endpoint.Match match) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        boolean authorized = expectedAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"));
        if (match != null && authorized) {
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            if (fault.landsAt() == null) {
                land(workspace.clock().instant(), match, query, body);
            } else {
                synchronized (lateWrites) {
                    lateWrites.add(new LateWrite(fault.landsAt(), lateWriteSequence++, match, query, body));
                }
            }
        }
        return fault.answer();
    }

    /** The answer to one Intercom request; null to drop the connection. */
    private Answer answer(HttpExchange exchange, Endpoint.Match match) throws IOException {
        String requestId = UUID.randomUUID().toString();
        landDueWrites();
        Fault fault = faults.take(match == null ? null : match.endpoint());
        if (fault instanceof Fault.LandsAnyway late) {
            fault = carryOut(late, exchange, match);
        }
        if (fault instanceof Fault.DropConnection) {
            return null;
        }
        if (fault instanceof Fault.Stall stall) {
            pause(stall.hold());
            return null;
        }
        if (fault instanceof Fault.Respond respond) {
            return new Answer(respond.status(), respond.contentType(),
                    respond.body().getBytes(StandardCharsets.UTF_8));
        }
        if (fault instanceof Fault.Delay delay) {
            pause(delay.delay());
        }
        pause(latency);
        clockLatency.run();
        byte[] body = exchange.getRequestBody().readAllBytes();
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.equals(expectedAuthorization)) {
            return Answer.error(requestId, new ApiError(401, "unauthorized", "Access Token Invalid"));
        }
        RateLimiter.Decision decision = rateLimiter.acquire();
        exchange.getResponseHeaders().set("X-RateLimit-Limit", Integer.toString(decision.limit()));
        exchange.getResponseHeaders().set("X-RateLimit-Remaining", Integer.toString(decision.remaining()));
        exchange.getResponseHeaders().set("X-RateLimit-Reset", Long.toString(decision.resetEpochSeconds()));
        if (!decision.allowed()) {
            return Answer.error(requestId, new ApiError(429, "rate_limit_exceeded",
                    "Exceeded rate limit of " + decision.limit() + " in 10_seconds"));
        }
        if (!AcceptHeader.acceptsJson(exchange.getRequestHeaders().get("Accept"))) {
            return Answer.error(requestId, new ApiError(406, "media_type_not_acceptable",
                    "The Accept header should send a media type of application/json"));
        }
        if (match == null) {
            return Answer.error(requestId, ApiError.resourceNotFound());
        }
        try {
            return new Answer(200, JSON,
                    Json.bytes(inTurn(() -> dispatch(match, query(exchange.getRequestURI().getRawQuery()), body))));
        } catch (ApiError e) {
            return Answer.error(requestId, e);
        } catch (RuntimeException e) {
            return Answer.error(requestId, new ApiError(500, "server_error", "Intercom sandbox failure: " + e));
        }
    }

    private JsonNode dispatch(Endpoint.Match match, Map<String, String> query, byte[] body) {
        return switch (match.endpoint()) {
            case ME -> workspace.me();
            case CREATE_CONTACT -> workspace.createContact(Json.parse(body));
            case LIST_CONTACTS -> workspace.listContacts(intParam(query, "per_page"), query.get("starting_after"));
            case SEARCH_CONTACTS -> workspace.search(Json.parse(body));
            case MERGE_CONTACTS -> workspace.merge(Json.parse(body));
            case FIND_BY_EXTERNAL_ID -> workspace.findByExternalId(match.param(0));
            case GET_CONTACT -> workspace.getContact(match.param(0));
            case UPDATE_CONTACT -> workspace.updateContact(match.param(0), Json.parse(body));
            case DELETE_CONTACT -> workspace.deleteContact(match.param(0));
            case ARCHIVE_CONTACT -> workspace.archiveContact(match.param(0));
            case UNARCHIVE_CONTACT -> workspace.unarchiveContact(match.param(0));
            case LIST_CONTACT_TAGS -> workspace.contactTags(match.param(0));
            case TAG_CONTACT -> workspace.tagContact(match.param(0), Json.parse(body));
            case UNTAG_CONTACT -> workspace.untagContact(match.param(0), match.param(1));
            case LIST_CONTACT_SEGMENTS -> workspace.contactSegments(match.param(0));
            case LIST_SEGMENTS -> workspace.listSegments(boolParam(query, "include_count"));
            case GET_SEGMENT -> workspace.getSegment(match.param(0), boolParam(query, "include_count"));
            case LIST_TAGS -> workspace.listTags();
            case CREATE_OR_UPDATE_TAG -> workspace.createOrUpdateTag(Json.parse(body));
            case GET_TAG -> workspace.getTag(match.param(0));
            case LIST_DATA_ATTRIBUTES -> workspace.listDataAttributes(query.get("model"));
            case CREATE_DATA_ATTRIBUTE -> workspace.createDataAttribute(Json.parse(body));
        };
    }

    private void inspect(HttpExchange exchange, String path) throws IOException {
        try {
            exchange.getRequestBody().readAllBytes();
            if (!"GET".equals(exchange.getRequestMethod())) {
                send(exchange, 405, JSON, "{\"error\":\"GET only\"}".getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("/_sandbox/contacts")) {
                landDueWrites();
                send(exchange, 200, JSON, Json.bytes(workspace.inspect()));
            } else if (path.equals("/_sandbox/stats")) {
                send(exchange, 200, JSON, Json.bytes(statsView()));
            } else {
                send(exchange, 404, JSON,
                        "{\"error\":\"try /_sandbox/contacts or /_sandbox/stats\"}".getBytes(StandardCharsets.UTF_8));
            }
        } finally {
            exchange.close();
        }
    }

    private ObjectNode statsView() {
        ObjectNode n = Json.object();
        n.put("total", stats.total());
        n.put("unmatched", stats.unmatched());
        ObjectNode endpoints = n.putObject("endpoints");
        stats.snapshot().forEach((key, byStatus) -> {
            ObjectNode statuses = endpoints.putObject(key);
            byStatus.forEach((status, count) -> statuses.put(Integer.toString(status), count));
        });
        return n;
    }

    static String errorBody(String requestId, String code, String message) {
        ObjectNode n = Json.object();
        n.put("type", "error.list");
        n.put("request_id", requestId);
        n.putArray("errors").addObject().put("code", code).put("message", message);
        return new String(Json.bytes(n), StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(key, value);
        }
        return params;
    }

    private static Integer intParam(Map<String, String> query, String name) {
        String value = query.get(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw ApiError.invalid(name + " must be an integer");
        }
    }

    private static boolean boolParam(Map<String, String> query, String name) {
        return "true".equalsIgnoreCase(query.get(name));
    }

    private static void pause(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
