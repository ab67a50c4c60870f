package dev.contactfunctions.intercom;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

import io.smallrye.faulttolerance.api.CustomBackoffStrategy;

/**
 * How long to wait before retry number {@code n}: until {@code X-RateLimit-Reset} for a 429, else exponential
 * backoff capped at the configured maximum; both plus random jitter.
 */
final class RetryDelays {

    private final Clock clock;
    private final IntercomConfig.Retry config;
    /**
     * Not ThreadLocalRandom nor Random: under SnapStart their seeds would be taken before the snapshot and every
     * restored instance would draw the same jitter, and retry in step. SecureRandom is reseeded on restore by
     * Lambda's Java runtimes (the pacer's jitter comes from one too).
     */
    private final RandomGenerator jitter;

    RetryDelays(Clock clock, IntercomConfig.Retry config) {
        this(clock, config, jitterSource());
    }

    /** With the given jitter source (a test's copy of one taken in a snapshot). */
    RetryDelays(Clock clock, IntercomConfig.Retry config, RandomGenerator jitter) {
        this.clock = clock;
        this.config = config;
        this.jitter = jitter;
    }

    /** A new instance's source of jitter. */
    static RandomGenerator jitterSource() {
        return new SecureRandom();
    }

    Duration before(int retry, Throwable failure) {
        return base(retry, failure).plusMillis(jitter());
    }

    /** The longest {@link #before} can answer: what the budget must still hold for a retry to be worth it. */
    Duration worstCase(int retry, Throwable failure) {
        return base(retry, failure).plus(config.jitter());
    }

    /** Whether a 429 asks for a wait longer than the client is configured to sit out. */
    boolean rateLimitWaitTooLong(Throwable failure) {
        return failure instanceof IntercomException.RateLimited limited
                && untilReset(limited).compareTo(config.maxRateLimitWait()) > 0;
    }

    private Duration base(int retry, Throwable failure) {
        if (failure instanceof IntercomException.RateLimited limited && limited.resetAt().isPresent()) {
            return untilReset(limited);
        }
        long factor = 1L << Math.min(Math.max(retry - 1, 0), 20);
        Duration exponential = config.initialDelay().multipliedBy(factor);
        return exponential.compareTo(config.maxDelay()) > 0 ? config.maxDelay() : exponential;
    }

    private Duration untilReset(IntercomException.RateLimited limited) {
        Instant reset = limited.resetAt().orElse(clock.instant());
        Duration wait = Duration.between(clock.instant(), reset);
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    private long jitter() {
        long max = config.jitter().toMillis();
        return max <= 0 ? 0 : jitter.nextLong(max + 1);
    }

    /** One strategy per guarded call, as SmallRye asks: it counts that call's retries. */
    CustomBackoffStrategy strategy() {
        return new CustomBackoffStrategy() {
            private int retry;

            @Override
            public long nextDelayInMillis(Throwable failure) {
                retry++;
                return before(retry, failure).toMillis();
            }
        };
    }
}
