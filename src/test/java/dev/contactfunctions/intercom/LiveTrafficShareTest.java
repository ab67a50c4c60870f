package dev.contactfunctions.intercom;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import dev.contactfunctions.sandbox.MutableClock;

/**
 * Several warm instances share one Intercom app, so one rate-limit window: an audit's and the webhooks' (and another
 * audit's), each with its own {@link RateLimitPacer}, all seeing the same {@code X-RateLimit-*} headers. The audit
 * leaves its share of each window to the webhooks until a second before the window's reset (a webhook's call then
 * waits at most that second); the webhooks spend the window down to the reserve.
 */
class LiveTrafficShareTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00.500Z");
    private static final int LIMIT = 100;
    private static final double SHARE = 0.2;

    private final MutableClock clock = MutableClock.at(NOW);
    private final Window intercom = new Window();
    private final RateLimitPacer audit = pacer();
    private final RateLimitPacer otherAudit = pacer();
    private final RateLimitPacer webhooks = pacer();

    private RateLimitPacer pacer() {
        return new RateLimitPacer(clock, TestConfigs.intercom(Map.of(
                "intercom.rate-limit.reserve", "2", "intercom.retry.jitter", "0ms")));
    }

    @Test
    void anAuditAtFullSpeedLeavesItsShareOfTheWindowToTheWebhooksOfOtherInstances() {
        int audited = spendWhileAllowed(audit, true);

        assertThat(audited).as("the audit's calls in a window of " + LIMIT).isEqualTo(80);
        assertThat(intercom.remaining()).isEqualTo(20);
        assertThat(spendWhileAllowed(webhooks, false)).as("webhook calls answered without waiting").isEqualTo(18);
        assertThat(intercom.refused).isZero();
    }

    @Test
    void webhooksSpentEarlierInTheWindowCountAgainstTheAuditNotAgainstTheShare() {
        for (int i = 0; i < 10; i++) {
            assertThat(call(audit, true)).isTrue();
        }
        for (int i = 0; i < 30; i++) {
            assertThat(call(webhooks, false)).as("webhook call " + i).isTrue();
        }
        for (int i = 0; i < 10; i++) {
            assertThat(call(otherAudit, true)).isTrue();
        }

        // two audits in two instances, each pacer stale by the calls the others made since its last answer: each
        // learns the window from its next answer, so the second one makes one call into the share before it knows
        spendWhileAllowed(audit, true);
        assertThat(intercom.remaining()).isEqualTo(20);
        spendWhileAllowed(otherAudit, true);
        assertThat(intercom.remaining()).isEqualTo(19);
        assertThat(spendWhileAllowed(webhooks, false)).isEqualTo(17);
    }

    @Test
    void theAuditWaitsUntilASecondBeforeTheResetThenSpendsTheShareAndResumesInTheNextWindow() {
        assertThat(call(webhooks, false)).as("the webhooks' instance has seen the window").isTrue();
        assertThat(spendWhileAllowed(audit, true)).isEqualTo(79);
        Duration wait = RateLimitPacer.leavingLiveShare(SHARE, audit::reserveCall).get();
        audit.release();

        assertThat(wait).isEqualTo(Duration.between(clock.instant(), intercom.resetAt().minusSeconds(1)));
        clock.advance(wait);
        assertThat(spendWhileAllowed(audit, true)).as("the share, in the window's last second").isEqualTo(18);
        assertThat(spendWhileAllowed(webhooks, false))
                .as("the webhooks' pacer, stale by the audit's calls, makes one call into the reserve").isOne();
        Duration webhookWait = webhooks.reserveCall();
        webhooks.release();
        assertThat(webhookWait).as("then a live call waits at most a second, for the reset")
                .isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1));
        clock.advance(webhookWait);
        assertThat(spendWhileAllowed(audit, true)).as("the next window").isEqualTo(80);
        assertThat(intercom.refused).isZero();
    }

    @Test
    void anAuditCallThatWaitedForTheReleaseWaitsForTheResetWhenLiveCallsSpentTheShareMeanwhile() {
        for (int i = 0; i < 79; i++) {
            assertThat(call(audit, true)).isTrue();
        }
        Supplier<Duration> reserve = () -> RateLimitPacer.leavingLiveShare(SHARE, audit::reserveCall).get();
        assertThat(reserve.get()).as("the audit's 80th call, in flight").isZero();
        Duration wait = reserve.get();
        assertThat(wait).as("the 81st waits for the share's release").isPositive();
        clock.advance(wait);
        assertThat(spendWhileAllowed(webhooks, false)).as("live calls spend the share meanwhile").isEqualTo(19);
        intercom.answer(audit); // the 80th call's answer tells the audit's pacer
        audit.release();

        Duration more = RateLimitPacer.leavingLiveShare(SHARE, audit::afterWait).get();
        audit.release();

        assertThat(more).as("no call into a spent window: it waits for the reset").isEqualTo(Duration.ofSeconds(1));
        assertThat(webhooks.afterWait()).as("a live call goes after its wait, as it always did").isZero();
        assertThat(intercom.refused).isZero();
    }

    @Test
    void withoutAShareTheAuditWouldSpendTheWindowToTheReserve() {
        assertThat(spendWhileAllowed(audit, false)).isEqualTo(98);
        assertThat(spendWhileAllowed(webhooks, false))
                .as("a webhook's instance that has seen no answer yet makes one call, then nothing is left").isOne();
    }

    @Test
    void theShareIsFromZeroToBelowOne() {
        for (double share : new double[] {-0.1, 1, Double.NaN}) {
            org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                    .isThrownBy(() -> RateLimitPacer.leavingLiveShare(share, () -> 1))
                    .withMessageContaining("from 0 to below 1");
        }
    }

    /** Calls through the pacer, one at a time, until it says to wait; how many were made. */
    private int spendWhileAllowed(RateLimitPacer pacer, boolean background) {
        int calls = 0;
        while (call(pacer, background)) {
            calls++;
        }
        return calls;
    }

    /** One call if the pacer lets it start now: Intercom counts it and answers the window's headers. */
    private boolean call(RateLimitPacer pacer, boolean background) {
        Supplier<Duration> reserve = pacer::reserveCall;
        Duration wait = background ? RateLimitPacer.leavingLiveShare(SHARE, reserve).get() : reserve.get();
        try {
            if (!wait.isZero()) {
                return false;
            }
            intercom.answer(pacer);
            return true;
        } finally {
            pacer.release();
        }
    }

    /** Intercom's window for the app: {@value #LIMIT} calls per 10 s, aligned to the clock. */
    private final class Window {
        private long window = Long.MIN_VALUE;
        private int used;
        private int refused;

        void answer(RateLimitPacer pacer) {
            roll();
            if (used < LIMIT) {
                used++;
            } else {
                refused++;
            }
            pacer.observe(String.valueOf(LIMIT), String.valueOf(remaining()), String.valueOf(resetAt().getEpochSecond()));
        }

        int remaining() {
            roll();
            return LIMIT - used;
        }

        Instant resetAt() {
            return Instant.ofEpochSecond((window + 1) * 10);
        }

        private void roll() {
            long current = Math.floorDiv(clock.instant().getEpochSecond(), 10);
            if (current != window) {
                window = current;
                used = 0;
            }
        }
    }
}
