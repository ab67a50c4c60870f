package dev.contactfunctions.invocation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import com.amazonaws.services.lambda.runtime.Context;

/**
 * When this thread's invocation ends, and how long an AWS call (DynamoDB, SQS, Secrets Manager, S3) may take in it:
 * the remaining time less the reserve to answer ({@link #awsCallLimit()}). Kept per thread and static, because the
 * AWS SDK's interceptor ({@link BudgetedAwsCalls}) reads it as well as the Intercom client's call budget. A handler
 * opens one per invocation ({@code CallBudget.open} in the Intercom package, which knows the reserves) and closes it
 * when the invocation ends.
 */
public final class InvocationDeadline {

    /** Lambda's longest run; a remaining time above it is not a real deadline. */
    public static final Duration LONGEST_LAMBDA_RUN = Duration.ofMinutes(15);

    private static final ThreadLocal<InvocationDeadline> CURRENT = new ThreadLocal<>();

    private final Instant end;
    private final Clock clock;
    private final Duration answerReserve;

    private InvocationDeadline(Instant end, Clock clock, Duration answerReserve) {
        this.end = end;
        this.clock = clock;
        this.answerReserve = answerReserve;
    }

    /**
     * Starts this thread's invocation, which ends at {@code end} on {@code clock} and keeps {@code answerReserve} back
     * after its last AWS call; closing the scope restores what the thread had before.
     */
    public static Scope open(Instant end, Clock clock, Duration answerReserve) {
        InvocationDeadline previous = CURRENT.get();
        CURRENT.set(new InvocationDeadline(end, clock, answerReserve));
        return () -> restore(previous);
    }

    /** This thread's invocation; empty outside one (tools, tests). */
    public static Optional<InvocationDeadline> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** Time left before the end less {@code reserve}; never negative. */
    public Duration left(Duration reserve) {
        Duration left = Duration.between(clock.instant(), end.minus(reserve));
        return left.isNegative() ? Duration.ZERO : left;
    }

    /**
     * The invocation's remaining time, or {@code fallback} when the context has no real deadline: the local mock
     * event server sends none, and its context then answers nonsense (zero, negative or past Lambda's 15 minutes).
     */
    public static Duration lambdaRemaining(Context context, Duration fallback) {
        long millis = context == null ? 0 : context.getRemainingTimeInMillis();
        return millis > 0 && millis <= LONGEST_LAMBDA_RUN.toMillis() ? Duration.ofMillis(millis) : fallback;
    }

    /**
     * How long an AWS call of this thread's invocation may take: the remaining time less the reserve to answer. Empty
     * outside an invocation (the client's own timeouts apply).
     */
    public static Optional<Duration> awsCallLimit() {
        return current().map(invocation -> invocation.left(invocation.answerReserve));
    }

    /** Runs {@code work} on another thread within this thread's invocation (for bounded waits). */
    public static <T> Supplier<T> carriedOver(Supplier<T> work) {
        InvocationDeadline invocation = CURRENT.get();
        return () -> {
            InvocationDeadline previous = CURRENT.get();
            CURRENT.set(invocation);
            try {
                return work.get();
            } finally {
                restore(previous);
            }
        };
    }

    private static void restore(InvocationDeadline previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }

    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
