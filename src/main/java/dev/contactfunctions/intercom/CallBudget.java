package dev.contactfunctions.intercom;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.amazonaws.services.lambda.runtime.Context;

/**
 * The one rule for how long a call may take in this invocation. An invocation ends at the Lambda's deadline; before
 * it the handler still has to answer, and after a failed Intercom call it may also have to queue the delivery. So:
 * <ul>
 * <li>an Intercom attempt (connect and read) gets at most the invocation's remaining time less
 * {@code intercom.budget.reserve} (time to queue and answer), and never more than its configured connect plus read
 * timeouts ({@link #attemptLimit()}); retries and rate-limit waits stay within the same budget;</li>
 * <li>an AWS call (DynamoDB, SQS, Secrets Manager, S3) gets at most the remaining time less
 * {@code intercom.budget.answer-reserve} (time to answer) ({@link #awsCallLimit()}).</li>
 * </ul>
 * Handlers open a scope per invocation; calls outside a scope get a fixed budget.
 */
@ApplicationScoped
public class CallBudget {

    /** Lambda's longest run; a remaining time above it is not a real deadline. */
    public static final Duration LONGEST_LAMBDA_RUN = Duration.ofMinutes(15);

    /** The invocation of this thread: it ends at {@code end} on {@code clock}. Static: the AWS SDK reads it too. */
    private record Invocation(Instant end, Clock clock, Duration answerReserve) {
        Duration left(Duration reserve) {
            Duration left = Duration.between(clock.instant(), end.minus(reserve));
            return left.isNegative() ? Duration.ZERO : left;
        }
    }

    private static final ThreadLocal<Invocation> INVOCATION = new ThreadLocal<>();

    private final Clock clock;
    private final IntercomConfig config;

    public CallBudget(Clock clock, IntercomConfig config) {
        this.clock = clock;
        this.config = config;
    }

    /**
     * Starts the budget of one invocation that has {@code lambdaRemaining} before its deadline. Close the scope when
     * the invocation ends.
     */
    public Scope open(Duration lambdaRemaining) {
        Invocation previous = INVOCATION.get();
        INVOCATION.set(new Invocation(clock.instant().plus(lambdaRemaining), clock, config.budget().answerReserve()));
        return () -> restore(previous);
    }

    private static void restore(Invocation previous) {
        if (previous == null) {
            INVOCATION.remove();
        } else {
            INVOCATION.set(previous);
        }
    }

    /**
     * The invocation's remaining time, or {@code fallback} when the context has no real deadline: the local mock
     * event server sends none, and its context then answers nonsense (zero, negative or past Lambda's 15 minutes).
     */
    public static Duration lambdaRemaining(Context context, Duration fallback) {
        long millis = context == null ? 0 : context.getRemainingTimeInMillis();
        return millis > 0 && millis <= LONGEST_LAMBDA_RUN.toMillis() ? Duration.ofMillis(millis) : fallback;
    }

    /** Opens the budget of a Lambda invocation; without a real deadline the fixed outside-invocation budget applies. */
    public Scope openFor(Context context) {
        return open(lambdaRemaining(context, config.budget().outsideInvocation().plus(config.budget().reserve())));
    }

    /** Time left for Intercom calls (the invocation's remaining time less the reserve to queue and answer); never negative. */
    public Duration remaining() {
        Invocation invocation = INVOCATION.get();
        return invocation == null ? config.budget().outsideInvocation() : invocation.left(config.budget().reserve());
    }

    public boolean allows(Duration wait) {
        return remaining().compareTo(wait) > 0;
    }

    /** One full Intercom attempt: the configured connect timeout plus read timeout. */
    public Duration fullAttempt() {
        return Duration.ofMillis((long) config.connectTimeoutMs() + config.readTimeoutMs());
    }

    /** Whether what is left covers one full Intercom attempt (a queued delivery is started only then). */
    public boolean coversFullAttempt() {
        return remaining().compareTo(fullAttempt()) >= 0;
    }

    /** How long the next Intercom attempt may take: its full connect and read time, cut to what is left. */
    public Duration attemptLimit() {
        Duration left = remaining();
        return left.compareTo(fullAttempt()) < 0 ? left : fullAttempt();
    }

    /**
     * How long an AWS call of this thread's invocation may take: the remaining time less the reserve to answer. Empty
     * outside an invocation (the client's own timeouts apply). Static, for the AWS SDK's interceptor.
     */
    public static Optional<Duration> awsCallLimit() {
        Invocation invocation = INVOCATION.get();
        return invocation == null ? Optional.empty() : Optional.of(invocation.left(invocation.answerReserve()));
    }

    /** Runs {@code work} on another thread within this thread's invocation budget (for bounded waits). */
    public static <T> Supplier<T> carriedOver(Supplier<T> work) {
        Invocation invocation = INVOCATION.get();
        return () -> {
            Invocation previous = INVOCATION.get();
            INVOCATION.set(invocation);
            try {
                return work.get();
            } finally {
                restore(previous);
            }
        };
    }

    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
