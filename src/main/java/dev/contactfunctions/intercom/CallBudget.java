package dev.contactfunctions.intercom;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The time Intercom calls may still take in this invocation, bound to the Lambda's remaining time so that no retry
 * or rate-limit wait outlives it. Handlers open a scope per invocation; calls outside a scope get a fixed budget.
 */
@ApplicationScoped
public class CallBudget {

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

    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
