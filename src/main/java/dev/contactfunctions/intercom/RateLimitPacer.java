package dev.contactfunctions.intercom;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Paces calls from Intercom's {@code X-RateLimit-*} headers: when the window is nearly spent, waits for its reset
 * instead of running into 429. The state is per warm instance; a 429 caused by other apps sharing the workspace
 * quota is handled by the retry policy.
 */
@ApplicationScoped
public class RateLimitPacer {

    private final Clock clock;
    private final IntercomConfig config;
    /**
     * Not ThreadLocalRandom nor Random: under SnapStart their seeds would be taken before the snapshot and every
     * restored instance would draw the same jitter. SecureRandom is reseeded on restore by Lambda's Java runtimes.
     */
    private final SecureRandom jitter = new SecureRandom();
    private Integer limit;
    private Integer remaining;
    private Instant resetAt;

    RateLimitPacer(Clock clock, IntercomConfig config) {
        this.clock = clock;
        this.config = config;
    }

    /** Records the headers of an authenticated answer. */
    public synchronized void observe(String limitHeader, String remainingHeader, String resetHeader) {
        Integer newRemaining = parse(remainingHeader);
        if (newRemaining == null) {
            return;
        }
        limit = parse(limitHeader);
        remaining = newRemaining;
        resetAt = IntercomErrors.resetInstant(resetHeader);
    }

    /**
     * How long to wait before the next call: zero while the window has more than the reserve left, else until
     * the window resets (plus jitter). Counts the call against the window.
     */
    public synchronized Duration reserveCall() {
        if (remaining == null || resetAt == null) {
            return Duration.ZERO;
        }
        Instant now = clock.instant();
        if (!now.isBefore(resetAt)) {
            remaining = null;
            return Duration.ZERO;
        }
        if (remaining > config.rateLimit().reserve()) {
            remaining--;
            return Duration.ZERO;
        }
        Duration wait = Duration.between(now, resetAt).plusMillis(jitterMillis());
        remaining = null;
        return wait;
    }

    /** Forgets the window, as if no rate-limit headers had been seen yet. */
    synchronized void reset() {
        limit = null;
        remaining = null;
        resetAt = null;
    }

    /** The last reported window, for logs and metrics. */
    public synchronized String describe() {
        return "limit=" + limit + " remaining=" + remaining + " reset=" + resetAt;
    }

    private long jitterMillis() {
        long max = Math.max(1, config.retry().jitter().toMillis());
        return jitter.nextLong(max);
    }

    private static Integer parse(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(header.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
