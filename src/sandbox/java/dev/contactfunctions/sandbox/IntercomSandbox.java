package dev.contactfunctions.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.sun.net.httpserver.HttpServer;

/**
 * An in-process emulator of the part of Intercom's REST API the functions use (contract.md): contacts, search,
 * merge, tags, segments, data attributes, Intercom's errors and rate limiting. Plain JDK {@code HttpServer} and
 * Jackson, so tests and benchmarks start it directly:
 *
 * <pre>{@code
 * try (IntercomSandbox sandbox = IntercomSandbox.start(SandboxOptions.builder().clock(clock).build())) {
 *     // point the client at sandbox.baseUrl() with the token sandbox.accessToken()
 * }
 * }</pre>
 *
 * Besides the Intercom endpoints it serves {@code GET /_sandbox/contacts} and {@code GET /_sandbox/stats} without
 * authentication.
 */
public final class IntercomSandbox implements AutoCloseable {

    static {
        // the JDK server writes headers and body separately: without TCP_NODELAY each answer waits ~40 ms on
        // Nagle's algorithm and delayed ACKs. Read once, when the first server of the JVM starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        // past 200 idle keep-alive connections the JDK server closes each connection as it goes idle, racing a
        // client that reuses it: an audit (192 connections) beside a burst of webhooks then saw answers cut off,
        // a limit of this server, not Intercom's. Clients cope with a connection closed mid-answer all the same.
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "2000");
        }
    }

    private final SandboxOptions options;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Workspace workspace;
    private final RateLimiter rateLimiter;
    private final SandboxServer handler;
    private final FaultInjector faults = new FaultInjector();
    private final SandboxStats stats = new SandboxStats();

    private IntercomSandbox(SandboxOptions options) throws IOException {
        this.options = options;
        this.workspace = new Workspace(options.clock(), options.workspaceId(), options.searchLag());
        this.rateLimiter = new RateLimiter(options.clock(), options.rateLimit());
        this.handler = new SandboxServer(workspace, rateLimiter, faults, stats, options.accessToken(),
                options.latency());
        this.server = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 100);
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "intercom-sandbox-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", handler);
        server.start();
    }

    /** Starts a sandbox with {@link SandboxOptions#defaults()}. */
    public static IntercomSandbox start() {
        return start(SandboxOptions.defaults());
    }

    public static IntercomSandbox start(SandboxOptions options) {
        try {
            return new IntercomSandbox(options);
        } catch (IOException e) {
            throw new UncheckedIOException("The Intercom sandbox could not listen on port " + options.port(), e);
        }
    }

    /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
    public String baseUrl() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The bearer token requests must carry. */
    public String accessToken() {
        return options.accessToken();
    }

    public Clock clock() {
        return options.clock();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- observation and knobs

    public SandboxStats stats() {
        return stats;
    }

    public FaultInjector faults() {
        return faults;
    }

    /** Contacts created or changed from now on stay out of (or stale in) search results for this long. */
    public IntercomSandbox setSearchLag(Duration lag) {
        workspace.setSearchLag(lag);
        return this;
    }

    public Duration searchLag() {
        return workspace.searchLag();
    }

    /** Makes every pending write searchable now, as if the lag had passed. */
    public IntercomSandbox indexNow() {
        workspace.indexNow();
        return this;
    }

    /** Wall-clock delay added to every Intercom request. */
    public IntercomSandbox setLatency(Duration latency) {
        handler.setLatency(latency);
        return this;
    }

    /**
     * A call's duration played on the sandbox's clock (a {@link MutableClock}) instead of waited: every Intercom
     * request moves the clock on by {@code latency} before it is served, so that code timing itself on that same clock
     * sees each call take that long at no cost in real time. Exact for one caller at a time; zero switches it off.
     */
    public IntercomSandbox setClockLatency(Duration latency) {
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency cannot be negative");
        }
        if (!(options.clock() instanceof MutableClock clock)) {
            throw new IllegalStateException("a clock latency needs the sandbox on a MutableClock");
        }
        handler.setClockLatency(latency.isZero() ? () -> { } : () -> clock.advance(latency));
        return this;
    }

    /**
     * A call's duration waited out by {@code wait} instead of a real sleep: every Intercom request hands
     * {@code latency} to {@code wait} (e.g. a virtual time shared with the callers, that moves the sandbox's clock
     * when every caller waits) before it is served. Zero switches it off.
     */
    public IntercomSandbox setLatency(Duration latency, Consumer<Duration> wait) {
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency cannot be negative");
        }
        handler.setLatency(Duration.ZERO);
        handler.setClockLatency(latency.isZero() ? () -> { } : () -> wait.accept(latency));
        return this;
    }

    /** Calls allowed per 10-second window. */
    public IntercomSandbox setRateLimit(int callsPerWindow) {
        rateLimiter.setLimit(callsPerWindow);
        return this;
    }

    public int rateLimit() {
        return rateLimiter.limit();
    }

    // ---- seeding

    /** Generates the workspace {@code spec} describes (data attributes, tags, contacts, segments, planted problems). */
    public SeedReport seed(SeedSpec spec) {
        return new WorkspaceGenerator(workspace, spec).generate();
    }

    /** Puts a contact in directly (searchable at once, no 409 checks); answers its id. */
    public String addContact(SeedContact seed) {
        long now = clock().instant().getEpochSecond();
        long createdAt = seed.createdAt == null ? now : seed.createdAt.getEpochSecond();
        StoredContact c = new StoredContact(seed.id != null ? seed.id : workspace.nextContactId(createdAt));
        c.role = seed.role;
        c.externalId = seed.externalId;
        c.email = seed.email;
        c.name = seed.name;
        c.phone = seed.phone;
        c.createdAt = createdAt;
        c.updatedAt = createdAt;
        c.signedUpAt = seed.signedUpAt != null ? Long.valueOf(seed.signedUpAt.getEpochSecond())
                : c.isUser() ? Long.valueOf(createdAt) : null;
        c.lastSeenAt = seed.lastSeenAt == null ? null : Long.valueOf(seed.lastSeenAt.getEpochSecond());
        c.country = seed.country;
        c.archived = seed.archived;
        c.customAttributes.putAll(Json.normalise(seed.customAttributes));
        seed.tags.forEach(name -> c.tags.put(workspace.defineTag(name).id, createdAt));
        workspace.insertSeeded(c);
        return c.id;
    }

    /** Creates the tag if no tag has this name (case-insensitive); answers its id. */
    public String defineTag(String name) {
        return workspace.defineTag(name).id;
    }

    /**
     * Defines a segment as a saved search filter in Intercom's grammar, e.g.
     * {@code {"field":"custom_attributes.plan","operator":"=","value":"enterprise"}}.
     *
     * @param personType {@code "user"} for a segment of users, {@code "contact"} for one of leads
     * @return the segment's id
     */
    public String defineSegment(String name, String personType, String filterJson) {
        String id = workspace.nextContactId(clock().instant().getEpochSecond());
        try {
            workspace.defineSegment(id, name, personType, Json.parse(filterJson));
        } catch (ApiError e) {
            throw new IllegalArgumentException("Invalid segment filter: " + e.getMessage(), e);
        }
        return id;
    }

    /**
     * Defines a custom contact data attribute, as {@code POST /data_attributes} would.
     *
     * @param dataType {@code string}, {@code integer}, {@code float}, {@code boolean} or {@code date}
     */
    public IntercomSandbox defineDataAttribute(String name, String dataType) {
        try {
            workspace.createDataAttribute(Json.object().put("name", name).put("model", AttributeDef.CONTACT)
                    .put("data_type", dataType));
        } catch (ApiError e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return this;
    }

    // ---- reading the state (no lag, no counting)

    /**
     * Lands the writes of {@link Fault#landsAt} faults whose time has come on the sandbox clock (every request and
     * every state read below does this first).
     */
    public IntercomSandbox landDueWrites() {
        handler.landDueWrites();
        return this;
    }

    /** Writes of {@link Fault#landsAt} faults still waiting for their time. */
    public int pendingLateWrites() {
        return handler.pendingLateWrites();
    }

    /** Every contact that exists now (archived ones included; deleted and merged ones not). */
    public List<SandboxContact> contacts() {
        landDueWrites();
        Map<String, TagDef> tags = workspace.tagsById();
        return workspace.contactCopies().stream().map(c -> SandboxContact.of(c, tags)).toList();
    }

    public Optional<SandboxContact> contact(String id) {
        landDueWrites();
        Map<String, TagDef> tags = workspace.tagsById();
        return workspace.contactCopy(id).map(c -> SandboxContact.of(c, tags));
    }

    /** Contacts whose email matches, ignoring case. */
    public List<SandboxContact> contactsWithEmail(String email) {
        return contacts().stream()
                .filter(c -> c.email() != null && c.email().equalsIgnoreCase(email.trim()))
                .toList();
    }

    /** The user a merged lead went into. */
    public Optional<String> mergedInto(String leadId) {
        landDueWrites();
        return Optional.ofNullable(workspace.mergedLeads().get(leadId));
    }

    /** Custom contact attribute names defined in the workspace. */
    public List<String> customAttributeNames() {
        return workspace.attributeList().stream()
                .filter(a -> a.custom() && AttributeDef.CONTACT.equals(a.model())).map(AttributeDef::name).toList();
    }
}
