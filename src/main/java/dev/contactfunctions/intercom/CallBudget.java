package dev.contactfunctions.intercom;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.amazonaws.services.lambda.runtime.Context;

/**
 * The time Intercom calls may still take in this invocation, bound to the Lambda's remaining time so that no retry
 * or rate-limit wait outlives it. Handlers open a scope per invocation; calls outside a scope get a fixed budget.
 */
@ApplicationScoped
public class CallBudget {

    /** Lambda's longest run; a remaining time above it is not a real deadline. */
    public static final Duration LONGEST_LAMBDA_RUN = Duration.ofMinutes(15);

    private final ThreadLocal<Instant> deadline = new ThreadLocal<>();
    private final Clock clock;
    private final IntercomConfig config;

    CallBudget(Clock clock, IntercomConfig config) {
        this.clock = clock;
        this.config = config;
    }

    /**
     * Starts the budget of one invocation: the Lambda's remaining time less the configured reserve.
     * Close the scope when the invocation ends.
     */
    public Scope open(Duration lambdaRemaining) {
        Instant previous = deadline.get();
        deadline.set(clock.instant().plus(lambdaRemaining).minus(config.budget().reserve()));
        return () -> {
            if (previous == null) {
                deadline.remove();
            } else {
                deadline.set(previous);
            }
        };
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

    /** Time left for calls; never negative. */
    public Duration remaining() {
        Instant end = deadline.get();
        if (end == null) {
            return config.budget().outsideInvocation();
        }
        Duration left = Duration.between(clock.instant(), end);
        return left.isNegative() ? Duration.ZERO : left;
    }

    public boolean allows(Duration wait) {
        return remaining().compareTo(wait) > 0;
    }

    /** Runs {@code work} on another thread within this thread's invocation budget (the audit's concurrent reads). */
    public <T> Supplier<T> carriedOver(Supplier<T> work) {
        Instant end = deadline.get();
        return () -> {
            Instant previous = deadline.get();
            deadline.set(end);
            try {
                return work.get();
            } finally {
                deadline.set(previous);
            }
        };
    }

    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
