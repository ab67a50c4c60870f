package dev.contactfunctions.sandbox;

import java.time.Clock;

/**
 * Intercom's rate limit: a number of calls per 10-second window, windows aligned to the clock
 * ({@code [k*10s, (k+1)*10s)} of epoch seconds), reset announced in epoch seconds.
 */
final class RateLimiter {

    static final long WINDOW_SECONDS = 10;

    private final Clock clock;
    private volatile int limit;
    private long window = Long.MIN_VALUE;
    private int used;

    RateLimiter(Clock clock, int limit) {
        this.clock = clock;
        setLimit(limit);
    }

    record Decision(boolean allowed, int limit, int remaining, long resetEpochSeconds) {
    }

    void setLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the rate limit must be at least 1 call per window");
        }
        this.limit = limit;
    }

    int limit() {
        return limit;
    }

    synchronized Decision acquire() {
        long now = clock.instant().getEpochSecond();
        long current = Math.floorDiv(now, WINDOW_SECONDS);
        if (current != window) {
            window = current;
            used = 0;
        }
        int max = limit;
        boolean allowed = used < max;
        if (allowed) {
            used++;
        }
        return new Decision(allowed, max, Math.max(0, max - used), (current + 1) * WINDOW_SECONDS);
    }
}
