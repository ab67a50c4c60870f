package dev.contactfunctions.intercom;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Paces calls from Intercom's {@code X-RateLimit-*} headers: when the window is nearly spent, waits for its reset
 * instead of running into 429. The state is per warm instance and shared by every call in flight: an answer's
 * {@code X-RateLimit-Remaining} may or may not count the calls that started after it, so those are taken as spent,
 * and once the window is spent every caller waits for its reset (not only the first). A 429 caused by other apps
 * sharing the workspace quota is handled by the retry policy.
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
    /** Calls reserved and not yet released: started, or waiting for the reset to start. */
    private int inFlight;

    RateLimitPacer(Clock clock, IntercomConfig config) {
        this.clock = clock;
        this.config = config;
    }

    /**
     * Records the headers of an authenticated answer, received while its call is still reserved. The other calls
     * in flight count as spent; an answer of the current window only ever lowers what is left, and an answer of
     * an older window (a slow call) says nothing about the current one.
     */
    public synchronized void observe(String limitHeader, String remainingHeader, String resetHeader) {
        Integer reported = parse(remainingHeader);
        if (reported == null) {
            return;
        }
        Instant reset = IntercomErrors.resetInstant(resetHeader);
        int startable = Math.max(0, reported - Math.max(0, inFlight - 1));
        limit = parse(limitHeader);
        if (reset == null || resetAt == null || remaining == null || reset.isAfter(resetAt)) {
            remaining = startable;
            resetAt = reset;
        } else if (reset.equals(resetAt)) {
            remaining = Math.min(remaining, startable);
        }
    }

    /**
     * How long to wait before the next call: zero while the window has more than the reserve left, else until
     * the window resets (plus jitter). Counts the call against the window and as in flight until
     * {@link #release()}.
     */
    public synchronized Duration reserveCall() {
        inFlight++;
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
        return Duration.between(now, resetAt).plusMillis(jitterMillis());
    }

    /** The reserved call has ended (answered or failed). */
    public synchronized void release() {
        inFlight = Math.max(0, inFlight - 1);
    }

    /** Forgets the window, as if no rate-limit headers had been seen yet. */
    synchronized void reset() {
        limit = null;
        remaining = null;
        resetAt = null;
        inFlight = 0;
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
