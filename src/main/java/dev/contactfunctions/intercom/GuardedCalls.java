package dev.contactfunctions.intercom;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import dev.contactfunctions.intercom.IntercomException.Unavailable.Reason;
import dev.contactfunctions.invocation.InvocationDeadline;
import io.smallrye.faulttolerance.api.Guard;
import io.vertx.core.VertxException;

/**
 * How every call to Intercom is made: through one SmallRye Fault Tolerance guard (retry with backoff and jitter, 429
 * waits until the window resets, a circuit breaker), paced from the rate-limit headers, within the invocation's
 * {@link CallBudget}, and only as often as the call may be repeated. Failures surface as typed
 * {@link IntercomException}s.
 */
final class GuardedCalls {

    /** Runs the attempts that must end before the client's own timeouts would (see {@link #bounded}). */
    private static final ExecutorService BOUNDED_CALLS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "intercom-bounded-call");
        thread.setDaemon(true);
        return thread;
    });

    private final CallBudget budget;
    private final RateLimitPacer pacer;
    private final RetryDelays delays;
    private final Clock clock;
    private final Guard guard;
    private final ThreadLocal<int[]> attempts = ThreadLocal.withInitial(() -> new int[1]);

    GuardedCalls(CallBudget budget, RateLimitPacer pacer, IntercomConfig config, Clock clock) {
        this.budget = budget;
        this.pacer = pacer;
        this.clock = clock;
        this.delays = new RetryDelays(clock, config.retry());
        IntercomConfig.CircuitBreaker breaker = config.circuitBreaker();
        this.guard = Guard.create()
                .withDescription("Intercom API")
                .withRetry()
                    .maxRetries(config.retry().maxRetries())
                    .maxDuration(1, ChronoUnit.HOURS) // the invocation budget is the real bound
                    .whenException(this::worthRetrying)
                    .withCustomBackoff().strategy(delays::strategy).done()
                    .done()
                .withCircuitBreaker()
                    .name(IntercomClient.CIRCUIT_BREAKER)
                    .requestVolumeThreshold(breaker.requestVolumeThreshold())
                    .failureRatio(breaker.failureRatio())
                    .delay(breaker.delay().toMillis(), ChronoUnit.MILLIS)
                    .when(GuardedCalls::isOutage)
                    .done()
                .build();
    }

    enum Idempotency {
        /** Repeating the call is harmless, or its outcome can be checked afterwards. */
        SAFE,
        /** Repeat only when Intercom certainly did not process it (429). */
        UNSAFE
    }

    /** A read whose 404 means there is none. */
    <T> Optional<T> optional(Supplier<T> call) {
        try {
            return Optional.of(call(Idempotency.SAFE, call));
        } catch (IntercomException.NotFound e) {
            return Optional.empty();
        }
    }

    @SuppressWarnings("unchecked")
    <T> T call(Idempotency idempotency, Supplier<T> call) {
        int[] count = attempts.get();
        int outer = count[0];
        count[0] = 0;
        try {
            return (T) guard.get(() -> attempt(idempotency, call), Object.class);
        } catch (CircuitBreakerOpenException e) {
            throw new IntercomException.Unavailable(Reason.CIRCUIT_OPEN,
                    "Intercom circuit breaker is open after repeated failures", e);
        } finally {
            count[0] = outer;
        }
    }

    private <T> T attempt(Idempotency idempotency, Supplier<T> call) {
        attempts.get()[0]++;
        Duration pace = pacer.reserveCall();
        try {
            return paced(idempotency, call, pace);
        } finally {
            pacer.release();
        }
    }

    private <T> T paced(Idempotency idempotency, Supplier<T> call, Duration pace) {
        for (Duration wait = pace; !wait.isZero(); wait = pacer.afterWait()) {
            waitWithinBudget(wait);
        }
        Duration limit = budget.attemptLimit();
        if (limit.isZero()) {
            throw new IntercomException.Unavailable(Reason.BUDGET_SPENT, "No time left in this invocation", null)
                    .forbidRetry();
        }
        boolean cutShort = limit.compareTo(budget.fullAttempt()) < 0;
        if (idempotency == Idempotency.UNSAFE && cutShort) {
            // a write that cannot be repeated is never cut short: given up on, it might still land (an unknown
            // outcome to settle later); not started, it certainly did not
            throw new IntercomException.Unavailable(Reason.BUDGET_SPENT,
                    "Too little time left in this invocation for a write that cannot be repeated", null).forbidRetry();
        }
        try {
            return cutShort ? bounded(call, limit) : call.get();
        } catch (IntercomException e) {
            if (idempotency == Idempotency.UNSAFE && !(e instanceof IntercomException.RateLimited)) {
                e.forbidRetry();
            }
            throw e;
        } catch (ProcessingException | WebApplicationException | VertxException e) {
            // a connection closed in the middle of an answer reaches the REST client as Vert.x's own, unwrapped
            IntercomException failure = new IntercomException.Unavailable(
                    isTimeout(e) ? Reason.TIMEOUT : Reason.IO_ERROR, "Intercom could not be reached: " + rootMessage(e), e);
            throw idempotency == Idempotency.UNSAFE ? failure.forbidRetry() : failure;
        }
    }

    /**
     * An attempt with less time left than the client's connect and read timeouts: it runs on another thread and is
     * given up when the time is spent. Intercom may still process a request given up on: the caller sees a timeout,
     * an unknown outcome, exactly as when the client's own read timeout ends the wait.
     */
    private static <T> T bounded(Supplier<T> call, Duration limit) {
        CompletableFuture<T> attempt = CompletableFuture.supplyAsync(InvocationDeadline.carriedOver(call), BOUNDED_CALLS);
        try {
            return attempt.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            attempt.cancel(true);
            throw new IntercomException.Unavailable(Reason.TIMEOUT,
                    "Intercom did not answer within the " + limit.toMillis() + " ms left in this invocation", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            attempt.cancel(true);
            throw new IntercomException.Unavailable(Reason.BUDGET_SPENT, "Interrupted while waiting for Intercom", e);
        }
    }

    private boolean worthRetrying(Throwable failure) {
        if (!(failure instanceof IntercomException intercom) || !intercom.retryPermitted()) {
            return false;
        }
        if (delays.rateLimitWaitTooLong(failure)) {
            return false;
        }
        int retry = attempts.get()[0];
        return budget.allows(delays.worstCase(retry, failure));
    }

    private static boolean isOutage(Throwable failure) {
        return failure instanceof IntercomException.ServerError
                || failure instanceof IntercomException.Unavailable unavailable
                        && (unavailable.reason() == Reason.IO_ERROR || unavailable.reason() == Reason.TIMEOUT);
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " " + root.getMessage());
    }

    private void waitWithinBudget(Duration pace) {
        if (pace.isZero()) {
            return;
        }
        if (!budget.allows(pace)) {
            throw new IntercomException.RateLimited("Rate-limit window nearly spent; its reset is past the budget",
                    null, clock.instant().plus(pace)).forbidRetry();
        }
        sleep(pace);
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IntercomException.Unavailable(Reason.BUDGET_SPENT, "Interrupted while pacing", e);
        }
    }
}
