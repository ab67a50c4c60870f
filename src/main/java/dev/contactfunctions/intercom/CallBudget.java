package dev.contactfunctions.intercom;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import com.amazonaws.services.lambda.runtime.Context;

import dev.contactfunctions.invocation.InvocationDeadline;

/**
 * The one rule for how long an Intercom call may take in this invocation. An invocation ends at the Lambda's deadline
 * ({@link InvocationDeadline}); before it the handler still has to answer, and after a failed Intercom call it may
 * also have to queue the delivery. So:
 * <ul>
 * <li>an Intercom attempt (connect and read) gets at most the invocation's remaining time less
 * {@code intercom.budget.reserve} (time to queue and answer), and never more than its configured connect plus read
 * timeouts ({@link #attemptLimit()}); retries and rate-limit waits stay within the same budget;</li>
 * <li>an AWS call (DynamoDB, SQS, Secrets Manager, S3) gets at most the remaining time less
 * {@code intercom.budget.answer-reserve} (time to answer) ({@link InvocationDeadline#awsCallLimit()}).</li>
 * </ul>
 * Handlers open a scope per invocation; calls outside a scope get a fixed budget.
 */
@ApplicationScoped
public class CallBudget {

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
    public InvocationDeadline.Scope open(Duration lambdaRemaining) {
        return InvocationDeadline.open(clock.instant().plus(lambdaRemaining), clock, config.budget().answerReserve());
    }

    /** Opens the budget of a Lambda invocation; without a real deadline the fixed outside-invocation budget applies. */
    public InvocationDeadline.Scope openFor(Context context) {
        return open(InvocationDeadline.lambdaRemaining(context,
                config.budget().outsideInvocation().plus(config.budget().reserve())));
    }

    /** Time left for Intercom calls (the invocation's remaining time less the reserve to queue and answer); never negative. */
    public Duration remaining() {
        return InvocationDeadline.current().map(invocation -> invocation.left(config.budget().reserve()))
                .orElseGet(() -> config.budget().outsideInvocation());
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
}
