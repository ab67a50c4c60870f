package dev.contactfunctions.audit;

import java.time.Duration;
import java.time.Instant;

import dev.contactfunctions.intercom.RateLimitPacer;

/**
 * How many of the audit's reads to keep in flight, from what the calls measure: no setting to tune but the upper
 * bound.
 *
 * <ul>
 * <li><b>Little's law</b>: to spend the quota, calls in flight = the quota's rate ({@code X-RateLimit-Limit} per
 * window, the window learned from the steps of {@code X-RateLimit-Reset}, 10 s until seen) × the usual round trip,
 * plus {@value #HEADROOM_PERCENT}% so that the window is spent before its reset (the pacer then holds the reads back:
 * more in flight costs no 429). A round trip is measured only on calls that neither waited for a reset nor were
 * answered 429.</li>
 * <li><b>Back-off</b> (AIMD): a 429, or a round trip rising to twice the usual one (calls queueing somewhere),
 * halves or cuts by a quarter the ceiling, at most once per round of calls in flight; the ceiling then grows again
 * by one per round. Before the first back-off it doubles each round (slow start), from {@value #START}, and
 * jumps to the number above as soon as an answer has told the quota and the round trip.</li>
 * <li><b>Bounds</b>: from 1 to the configured upper bound ({@code audit.concurrency}).</li>
 * </ul>
 *
 * Not thread-safe: only the audit's invoking thread uses it.
 */
final class AdaptiveConcurrency {

    static final int START = 4;
    static final int HEADROOM_PERCENT = 20;
    static final Duration DEFAULT_WINDOW = RateLimitPacer.WINDOW;
    /** Weight of a new round trip in the recent average, and in the usual one (which follows a lasting change). */
    private static final double RECENT_WEIGHT = 0.2;
    private static final double USUAL_WEIGHT = 0.02;
    private static final double RISING = 2.0;

    private final int max;
    private double ceiling;
    private boolean slowStart = true;
    private double recentMillis = -1;
    private double usualMillis = -1;
    /** Whether the usual round trip is still the inventory call's. */
    private boolean fromInventory;
    private Integer quota;
    private Instant lastReset;
    private Duration window;
    private long seenRejections;
    /** Answers still to come before the next back-off may happen (one round of calls in flight). */
    private int answersUntilBackOff;

    AdaptiveConcurrency(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("the audit's concurrency is at least 1, got " + max);
        }
        this.max = max;
        this.ceiling = Math.min(START, max);
    }

    int max() {
        return max;
    }

    /** Reads to keep in flight now. */
    int limit() {
        int bound = Math.min(max, (int) ceiling);
        Integer little = littleTarget();
        return Math.max(1, little == null ? bound : Math.min(bound, little));
    }

    /**
     * Reads expected in flight once the number has settled: Little's law as soon as one answer has told the quota
     * and the round trip (while the number still grows towards it), else the number now. What long chains are cut
     * for: cut for the first few calls in flight, they would be read alone at the end.
     */
    int expected() {
        Integer little = littleTarget();
        return little == null ? limit() : Math.max(1, Math.min(max, little));
    }

    /** Little's law with headroom, or null while the quota or the round trip is unknown. */
    Integer littleTarget() {
        if (quota == null || usualMillis < 0) {
            return null;
        }
        double perMilli = quota / (double) (window == null ? DEFAULT_WINDOW : window).toMillis();
        // less a rounding error, so that 10.000000001 calls are 10
        return (int) Math.ceil(perMilli * usualMillis * (100 + HEADROOM_PERCENT) / 100 - 1e-6);
    }

    /**
     * The run's inventory call (the segment listing, counting every segment's members, and the run's first call after
     * a cold start) has ended: its round trip starts the reads at Little's law, and the first read's replaces it,
     * as a listing that counts is slower than a page of contacts.
     */
    void inventoryAnswered(Duration roundTrip, RateLimitPacer.State state) {
        answered(roundTrip, state);
        fromInventory = usualMillis >= 0;
    }

    /**
     * A read has ended. {@code roundTrip} is null when the call's time says nothing of Intercom's round trip (it
     * waited for a window reset, was retried, or failed); {@code state} is the pacer's after the call, or null
     * without rate-limit headers (a workspace that is not Intercom).
     */
    void answered(Duration roundTrip, RateLimitPacer.State state) {
        answersUntilBackOff = Math.max(0, answersUntilBackOff - 1);
        if (state != null) {
            learnWindow(state);
            if (state.rejections() > seenRejections) {
                seenRejections = state.rejections();
                backOff(0.5);
                return;
            }
        }
        if (roundTrip == null) {
            return;
        }
        double millis = Math.max(0, roundTrip.toNanos() / 1e6);
        if (usualMillis < 0 || fromInventory) {
            usualMillis = millis;
            recentMillis = millis;
            fromInventory = false;
        } else {
            recentMillis += RECENT_WEIGHT * (millis - recentMillis);
            usualMillis += USUAL_WEIGHT * (millis - usualMillis);
        }
        if (recentMillis > RISING * usualMillis && usualMillis > 0) {
            backOff(0.75);
            return;
        }
        Integer little = littleTarget();
        if (slowStart && little != null && ceiling < little) {
            ceiling = Math.min(max, little); // no need to feel the way: the quota and the round trip are known
            return;
        }
        grow();
    }

    private void grow() {
        if (ceiling >= max) {
            return;
        }
        ceiling = Math.min(max, ceiling + (slowStart ? 1 : 1 / ceiling));
    }

    private void backOff(double factor) {
        if (answersUntilBackOff > 0) {
            return;
        }
        ceiling = Math.max(1, limit() * factor);
        slowStart = false;
        answersUntilBackOff = limit();
    }

    private void learnWindow(RateLimitPacer.State state) {
        if (state.limit() != null) {
            quota = state.limit();
        }
        Instant reset = state.resetAt();
        if (reset == null) {
            return;
        }
        if (lastReset != null && reset.isAfter(lastReset)) {
            Duration step = Duration.between(lastReset, reset);
            if (window == null || step.compareTo(window) < 0) {
                window = step;
            }
        }
        if (lastReset == null || reset.isAfter(lastReset)) {
            lastReset = reset;
        }
    }
}
