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
 * traffic, a share that tapers with the window: at its start those calls leave {@code share × X-RateLimit-Limit}
 * calls unspent, and the number falls in proportion to the time left until {@code X-RateLimit-Reset}, down to the
 * reserve at the reset. A live call therefore finds its calls left at any time in the window but its very end, and a
 * live call that finds the window spent waits for the reset at most {@code window ÷ (share × limit)} per call it
 * needs (30 ms with Intercom's 1,667 calls per 10 s and a share of 20%); meanwhile the background work may spend
 * the whole window at an even pace, as it is held back only when it runs ahead of it. When the app's other callers
 * spend faster than the share, the share is their rate, measured from this pacer's answers, plus a quarter. As
 * {@code X-RateLimit-Remaining} and {@code X-RateLimit-Reset} count the whole app's calls, the share holds across
 * warm instances and functions; live calls spend the window down to the reserve at any time.
 */
@ApplicationScoped
public class RateLimitPacer {

    /**
     * Intercom's rate-limit window: its limit is "evenly distributed into 10 second windows". The share left to live
     * traffic tapers over this time before each reset.
     */
    public static final Duration WINDOW = Duration.ofSeconds(10);
    /** How long the others' rate is measured over in a window before it replaces the window before's. */
    static final Duration OTHERS_MIN_SPAN = Duration.ofSeconds(1);
    /** What the share leaves on top of the others' measured rate, as they may spend faster than they did. */
    static final int OTHERS_MARGIN_PERCENT = 25;

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
    /**
     * Of those, the calls waiting to start: not sent, so no answer can have missed them, and each counts against the
     * window when it goes. Also the place in the queue of the next call held back from the share.
     */
    private int waiting;
    /** Whether this thread's reserved call is waiting to start. */
    private static final ThreadLocal<Boolean> WAITING = new ThreadLocal<>();
    /** Calls let go since start, in the order they went. */
    private long gone;
    /**
     * The window ({@code X-RateLimit-Reset}) whose calls by others are measured, and its first answer: what it
     * reported, {@link #gone} when its call was sent, when it came.
     */
    private Instant countedWindow;
    private int firstReported;
    private long firstGone;
    private Instant firstAnswerAt;
    /** Calls per second the app's other callers spent in the window measured last. */
    private double othersPerSecond;
    /** Calls that waited for a window reset, and answers 429, since start: read by the audit's concurrency. */
    private long waits;
    private long rejections;

    RateLimitPacer(Clock clock, IntercomConfig config) {
        this.clock = clock;
        this.config = config;
    }

    /**
     * Records the headers of an authenticated answer, received while its call is still reserved, not knowing when it
     * was sent: every other call in flight is taken as not counted by it.
     */
    public synchronized void observe(String limitHeader, String remainingHeader, String resetHeader) {
        record(limitHeader, remainingHeader, resetHeader, Math.max(0, inFlight - waiting - 1), null);
    }

    /**
     * Records the headers of an authenticated answer to a call sent when {@link #callsGone()} was
     * {@code goneWhenSent}: Intercom counted the calls that went before it, so only those that went after it are
     * taken as not counted (with a hundred calls in flight, taking them all would leave about half of them unspent in
     * every window). An answer of the current window only ever lowers what is left, and an answer of an older window
     * (a slow call) says nothing about the current one.
     */
    public synchronized void observe(String limitHeader, String remainingHeader, String resetHeader,
            long goneWhenSent) {
        record(limitHeader, remainingHeader, resetHeader, Math.max(0, gone - goneWhenSent), goneWhenSent);
    }

    /** How many calls the pacer has let go so far: read as a call is sent, for {@link #observe} of its answer. */
    public synchronized long callsGone() {
        return gone;
    }

    private void record(String limitHeader, String remainingHeader, String resetHeader, long notCounted,
            Long goneWhenSent) {
        Integer reported = parse(remainingHeader);
        if (reported == null) {
            return;
        }
        Instant reset = IntercomErrors.resetInstant(resetHeader);
        int startable = (int) Math.max(0, reported - notCounted);
        limit = parse(limitHeader);
        if (reset == null || resetAt == null || remaining == null || reset.isAfter(resetAt)) {
            remaining = startable;
            resetAt = reset;
        } else if (reset.equals(resetAt)) {
            remaining = Math.min(remaining, startable);
        }
        if (goneWhenSent != null && reset != null && limit != null) {
            measureOthers(reset, reported, goneWhenSent);
        }
    }

    /**
     * Learns how fast the app's other callers (the webhooks' instances, while this one audits) spend the window,
     * between the window's first answer and this one: what Intercom counted in between, less this pacer's calls sent
     * in between. Taken over at least {@link #OTHERS_MIN_SPAN}; until then the rate of the window before holds.
     */
    private void measureOthers(Instant reset, int reported, long goneWhenSent) {
        Instant now = clock.instant();
        if (!reset.equals(countedWindow)) {
            if (countedWindow == null || reset.isAfter(countedWindow)) {
                countedWindow = reset;
                firstReported = reported;
                firstGone = goneWhenSent;
                firstAnswerAt = now;
            }
            return;
        }
        Duration span = Duration.between(firstAnswerAt, now);
        if (goneWhenSent <= firstGone || span.compareTo(OTHERS_MIN_SPAN) < 0) {
            return;
        }
        long others = Math.max(0, (firstReported - reported) - (goneWhenSent - firstGone));
        othersPerSecond = others * 1e9 / span.toNanos();
    }

    /**
     * How long to wait before the next call: zero while the window has more than the reserve left (for calls leaving
     * a share: more than the share's part still unspent, {@link #keptBack}), else until the window resets (plus
     * jitter), or, for calls leaving a share, until the share has tapered enough to let this call go after the
     * calls already waiting for it. Counts the call as in flight until {@link #release()}, and against the window
     * when it may start now. After a wait, ask {@link #afterWait()}.
     */
    public synchronized Duration reserveCall() {
        inFlight++;
        Duration wait = pace(true);
        if (!wait.isZero()) {
            waits++;
        }
        return wait;
    }

    /**
     * After the wait {@link #reserveCall()} or this asked for: how much longer to wait. Zero for a call that waited
     * for the window's reset (it goes, as the first calls of a new window do) or that the tapering share now lets go;
     * for a call leaving a share that live calls or other calls held back took the place of meanwhile, the next wait.
     */
    public synchronized Duration afterWait() {
        return pace(LIVE_SHARE.get() != null);
    }

    /** Paces the call ({@code ask}: or lets it go, as a live call goes after its wait). */
    private Duration pace(boolean ask) {
        endWait();
        Duration wait = ask ? paceNow() : Duration.ZERO;
        if (wait.isZero()) {
            gone++;
        } else {
            waiting++;
            WAITING.set(Boolean.TRUE);
        }
        return wait;
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
        double perSecond = shareLeftPerSecond();
        if (remaining > keptBack(now, reserve, perSecond)) {
            remaining--;
            return Duration.ZERO;
        }
        int ahead = remaining - waiting; // calls this one may take once the share has tapered below them
        if (perSecond <= 0 || ahead <= reserve) {
            return Duration.between(now, resetAt).plusMillis(jitterMillis());
        }
        // it goes once the calls kept back, ceil(perSecond × time left), are at most ahead - 1
        Instant goes = resetAt.minusNanos((long) Math.floor((ahead - 1) * 1e9 / perSecond));
        return goes.isAfter(now) ? Duration.between(now, goes) : Duration.ofMillis(1);
    }

    /**
     * Calls left in the window that this thread's calls do not spend now: the reserve, and for a call leaving a share
     * the share's part for the time left until the reset ({@code perSecond}, {@link #shareLeftPerSecond}).
     */
    private int keptBack(Instant now, int reserve, double perSecond) {
        if (perSecond <= 0) {
            return reserve;
        }
        long untilReset = Math.min(WINDOW.toNanos(), Duration.between(now, resetAt).toNanos());
        return Math.max(reserve, (int) Math.ceil(perSecond * untilReset / 1e9));
    }

    /**
     * For a call leaving a share: the calls kept back per second left until the reset, the share of the limit spread
     * over the window ({@code share × limit ÷ 10 s}), or, when the other callers spend faster than that, their rate
     * plus {@value #OTHERS_MARGIN_PERCENT}%; zero for a live call.
     */
    private double shareLeftPerSecond() {
        Double share = LIVE_SHARE.get();
        if (share == null || limit == null) {
            return 0;
        }
        double spread = share * limit / WINDOW.toSeconds();
        return share == 0 ? 0 : Math.max(spread, othersPerSecond * (100 + OTHERS_MARGIN_PERCENT) / 100);
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
        endWait();
        inFlight = Math.max(0, inFlight - 1);
    }

    private void endWait() {
        if (WAITING.get() != null) {
            WAITING.remove();
            waiting = Math.max(0, waiting - 1);
        }
    }

    /** Forgets the window, as if no rate-limit headers had been seen yet. */
    synchronized void reset() {
        limit = null;
        remaining = null;
        resetAt = null;
        inFlight = 0;
        waiting = 0;
        gone = 0;
        countedWindow = null;
        othersPerSecond = 0;
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
