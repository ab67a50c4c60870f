package dev.contactfunctions.intercom;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Paces calls from Intercom's {@code X-RateLimit-*} headers: when the window is nearly spent, waits for its reset
 * instead of running into 429. The state is per warm instance and shared by every call in flight: an answer's
 * {@code X-RateLimit-Remaining} may or may not count the calls that started after it, so those are taken as spent,
 * and once the window is spent every caller waits for its reset (not only the first). A 429 caused by other apps
 * sharing the workspace quota is handled by the retry policy.
 *
 * <p>Background work (the audit) runs its calls {@link #leavingLiveShare leaving a share} of each window to live
 * traffic: those calls wait as soon as the window's remaining calls reach that share of {@code X-RateLimit-Limit},
 * until {@value #SHARE_RELEASE_MILLIS} ms before the window's reset; from then on they may spend the share down to the
 * reserve, because a live call that then finds the window spent waits at most that long for the reset. As
 * {@code X-RateLimit-Remaining} and {@code X-RateLimit-Reset} count the whole app's calls, the share holds across warm
 * instances and functions; live calls (webhooks) spend the window down to the reserve at any time.
 */
@ApplicationScoped
public class RateLimitPacer {

    /**
     * How long before a window's reset the calls leaving a share to live traffic may spend it: the longest a live
     * call waits because of them (plus the jitter of its wait), well within every route's budget.
     */
    static final long SHARE_RELEASE_MILLIS = 1000;
    static final Duration SHARE_RELEASE = Duration.ofMillis(SHARE_RELEASE_MILLIS);

    private final Clock clock;
    private final IntercomConfig config;
    /**
     * Not ThreadLocalRandom nor Random: under SnapStart their seeds would be taken before the snapshot and every
     * restored instance would draw the same jitter. SecureRandom is reseeded on restore by Lambda's Java runtimes.
     */
    private final SecureRandom jitter = new SecureRandom();
    /** Share of each window the calls of this thread leave to live traffic; null for live calls. */
    private static final ThreadLocal<Double> LIVE_SHARE = new ThreadLocal<>();
    private Integer limit;
    private Integer remaining;
    private Instant resetAt;
    /** Calls reserved and not yet released: started, or waiting for the reset to start. */
    private int inFlight;
    /** Calls that waited for a window reset, and answers 429, since start: read by the audit's concurrency. */
    private long waits;
    private long rejections;

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
     * How long to wait before the next call: zero while the window has more than the reserve left (for calls
     * leaving a share: more than the share, until the share's release), else until the window resets (plus jitter),
     * or, for calls leaving a share while the window still has more than the reserve, until the share's release.
     * Counts the call as in flight until {@link #release()}, and against the window when it may start now. After a
     * wait, ask {@link #afterWait()}.
     */
    public synchronized Duration reserveCall() {
        inFlight++;
        Duration wait = paceNow();
        if (!wait.isZero()) {
            waits++;
        }
        return wait;
    }

    /**
     * After the wait {@link #reserveCall()} asked for: how much longer to wait. Zero for a call that waited for the
     * window's reset (it goes, as the first calls of a new window do) or that may now spend the released share; the
     * time until the reset when live calls spent the share before the release came (after that wait the call goes).
     */
    public synchronized Duration afterWait() {
        if (LIVE_SHARE.get() == null) {
            return Duration.ZERO;
        }
        return paceNow();
    }

    private Duration paceNow() {
        if (remaining == null || resetAt == null) {
            return Duration.ZERO;
        }
        Instant now = clock.instant();
        if (!now.isBefore(resetAt)) {
            remaining = null;
            return Duration.ZERO;
        }
        int reserve = config.rateLimit().reserve();
        if (remaining > keptBack(now, reserve)) {
            remaining--;
            return Duration.ZERO;
        }
        if (remaining > reserve) { // kept back for live traffic until the share's release
            return Duration.between(now, resetAt.minus(SHARE_RELEASE));
        }
        return Duration.between(now, resetAt).plusMillis(jitterMillis());
    }

    /** Calls left in the window that this thread's calls do not spend now. */
    private int keptBack(Instant now, int reserve) {
        Double share = LIVE_SHARE.get();
        if (share == null || limit == null || !now.isBefore(resetAt.minus(SHARE_RELEASE))) {
            return reserve;
        }
        return Math.max(reserve, (int) Math.ceil(share * limit));
    }

    /**
     * The work, its calls leaving {@code share} of each window's limit to live traffic (0 to below 1), on whatever
     * thread runs it.
     */
    public static <T> Supplier<T> leavingLiveShare(double share, Supplier<T> work) {
        if (!(share >= 0 && share < 1)) {
            throw new IllegalArgumentException("the share left to live traffic is from 0 to below 1, got " + share);
        }
        return () -> {
            Double previous = LIVE_SHARE.get();
            LIVE_SHARE.set(share);
            try {
                return work.get();
            } finally {
                if (previous == null) {
                    LIVE_SHARE.remove();
                } else {
                    LIVE_SHARE.set(previous);
                }
            }
        };
    }

    /** Intercom answered 429. */
    public synchronized void rejected() {
        rejections++;
    }

    /** What the pacer knows now. */
    public synchronized State state() {
        return new State(limit, resetAt, waits, rejections);
    }

    /**
     * The window's limit and reset as last reported (null before any), and how many calls so far waited for a reset
     * and were answered 429.
     */
    public record State(Integer limit, Instant resetAt, long waits, long rejections) {
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
        waits = 0;
        rejections = 0;
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
