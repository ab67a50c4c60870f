package dev.contactfunctions.sandbox;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How to start an {@link IntercomSandbox}. {@code SandboxOptions.defaults()} gives an ephemeral port, the token
 * {@value #DEFAULT_TOKEN}, Intercom's default rate limit of {@value #DEFAULT_RATE_LIMIT} calls per 10-second
 * window, no search lag, no latency and the system clock.
 *
 * @param port TCP port; 0 picks a free one
 * @param accessToken the bearer token every request must carry
 * @param rateLimit calls allowed per 10-second window
 * @param clock drives timestamps, search lag and rate-limit windows; pass a {@link MutableClock} in tests
 * @param searchLag how long a created or changed contact stays out of (or stale in) search results
 * @param latency wall-clock delay added to every Intercom request
 * @param workspaceId the {@code workspace_id} of every contact
 * @param host the address it listens on: the loopback interface unless told otherwise
 */
public record SandboxOptions(int port, String accessToken, int rateLimit, Clock clock, Duration searchLag,
        Duration latency, String workspaceId, InetAddress host) {

    public static final String DEFAULT_TOKEN = "sandbox-token";
    public static final int DEFAULT_RATE_LIMIT = 1667;

    public SandboxOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(searchLag, "searchLag");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(host, "host");
        if (rateLimit < 1) {
            throw new IllegalArgumentException("rateLimit must be at least 1");
        }
        if (searchLag.isNegative() || latency.isNegative()) {
            throw new IllegalArgumentException("searchLag and latency cannot be negative");
        }
    }

    public static SandboxOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().port(port).accessToken(accessToken).rateLimit(rateLimit).clock(clock)
                .searchLag(searchLag).latency(latency).workspaceId(workspaceId).host(host);
    }

    public static final class Builder {
        private int port;
        private String accessToken = DEFAULT_TOKEN;
        private int rateLimit = DEFAULT_RATE_LIMIT;
        private Clock clock = Clock.systemUTC();
        private Duration searchLag = Duration.ZERO;
        private Duration latency = Duration.ZERO;
        private String workspaceId = "sandbox1";
        private InetAddress host = InetAddress.getLoopbackAddress();

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder accessToken(String accessToken) {
            this.accessToken = accessToken;
            return this;
        }

        public Builder rateLimit(int callsPerWindow) {
            this.rateLimit = callsPerWindow;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder searchLag(Duration searchLag) {
            this.searchLag = searchLag;
            return this;
        }

        public Builder latency(Duration latency) {
            this.latency = latency;
            return this;
        }

        public Builder workspaceId(String workspaceId) {
            this.workspaceId = workspaceId;
            return this;
        }

        public Builder host(InetAddress host) {
            this.host = host;
            return this;
        }

        public SandboxOptions build() {
            return new SandboxOptions(port, accessToken, rateLimit, clock, searchLag, latency, workspaceId, host);
        }
    }
}
