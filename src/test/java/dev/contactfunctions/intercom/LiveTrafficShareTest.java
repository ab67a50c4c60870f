package dev.contactfunctions.intercom;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import dev.contactfunctions.sandbox.MutableClock;

/**
 * Several warm instances share one Intercom app, so one rate-limit window: an audit's and the webhooks' (and another
 * audit's), each with its own {@link RateLimitPacer}, all seeing the same {@code X-RateLimit-*} headers. The audit
 * leaves its share of each window to the webhooks, a share that tapers to nothing at the window's reset (a webhook's
 * call that finds the window spent then waits about 500 ms per call here, 30 ms with Intercom's limit); the webhooks
 * spend the window down to the reserve.
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

        // 9.5 s before the reset the share still unspent is 20 × 9.5 / 10 = 19 calls
        assertThat(audited).as("the audit's calls in a window of " + LIMIT).isEqualTo(81);
        assertThat(intercom.remaining()).isEqualTo(19);
        assertThat(spendWhileAllowed(webhooks, false)).as("webhook calls answered without waiting").isEqualTo(17);
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
        assertThat(intercom.remaining()).isEqualTo(19);
        spendWhileAllowed(otherAudit, true);
        assertThat(intercom.remaining()).isEqualTo(18);
        assertThat(spendWhileAllowed(webhooks, false)).isEqualTo(16);
    }

    @Test
    void theShareTapersAsTheResetNearsSoTheAuditSpendsTheWindowAndALiveCallWaitsOnlyForTheCallsItNeeds() {
        assertThat(call(webhooks, false)).as("the webhooks' instance has seen the window").isTrue();
        assertThat(spendWhileAllowed(audit, true)).isEqualTo(80);

        clock.advance(Duration.ofSeconds(7)); // 2.5 s before the reset: a share of 5 left unspent
        assertThat(spendWhileAllowed(audit, true)).isEqualTo(14);
        assertThat(intercom.remaining()).isEqualTo(5);
        clock.advance(Duration.ofMillis(2000)); // 0.5 s before the reset: only the reserve is kept
        assertThat(spendWhileAllowed(audit, true)).isEqualTo(3);
        assertThat(spendWhileAllowed(webhooks, false))
                .as("the webhooks' pacer, stale by the audit's calls, makes one call into the reserve").isOne();
        Duration webhookWait = webhooks.reserveCall();
        webhooks.release();
        assertThat(webhookWait).as("then a live call waits for the reset, half a second away")
                .isEqualTo(Duration.ofMillis(500));
        clock.advance(webhookWait);
        assertThat(spendWhileAllowed(audit, true)).as("the next window").isEqualTo(80);
        assertThat(intercom.refused).isZero();
    }

    @Test
    void theAuditsCallsHeldBackEachWaitForTheirPlaceAsTheShareTapersAndAskAgainThen() throws Exception {
        assertThat(spendWhileAllowed(audit, true)).isEqualTo(81);
        clock.advance(Duration.ofMillis(500)); // 9 s before the reset: 18 of the 19 left are the share
        List<ExecutorService> readers = List.of(Executors.newSingleThreadExecutor(),
                Executors.newSingleThreadExecutor(), Executors.newSingleThreadExecutor());
        try {
            // each on a reading thread of its own, as the audit's reads are
            List<Duration> waits = new ArrayList<>();
            for (ExecutorService reader : readers) {
                waits.add(reader.submit(() -> RateLimitPacer.leavingLiveShare(SHARE, audit::reserveCall).get()).get());
            }

            // 19 left and a share of 18 at 9 s: the first goes; the share falls by one call every 10 s / 20 =
            // 500 ms, so the second goes once it is 17 (in 500 ms), the third once it is 16 (in a second)
            assertThat(waits).containsExactly(Duration.ZERO, Duration.ofMillis(500), Duration.ofMillis(1000));
            clock.advance(Duration.ofMillis(500));
            assertThat(spendWhileAllowed(webhooks, false)).as("live calls spend the share meanwhile").isEqualTo(17);
            intercom.answer(audit); // the first one's answer tells the audit
            Duration again = readers.get(1).submit(
                    () -> RateLimitPacer.leavingLiveShare(SHARE, audit::afterWait).get()).get();
            assertThat(again).as("its place taken, the second makes no call into the reserve: it waits for the reset")
                    .isEqualTo(Duration.between(clock.instant(), intercom.resetAt()));
            for (ExecutorService reader : readers) {
                reader.submit(audit::release).get();
            }
        } finally {
            readers.forEach(ExecutorService::shutdownNow);
        }
        assertThat(webhooks.afterWait()).as("a live call goes after its wait, as it always did").isZero();
        assertThat(intercom.refused).isZero();
    }

    @Test
    void whenTheWebhooksSpendFasterThanTheShareTheAuditLeavesThemTheirRateForTheRestOfTheWindow() {
        assertThat(call(audit, true)).isTrue();
        for (int i = 0; i < 10; i++) { // 10 webhook calls a second, five times the share's 2 a second
            clock.advance(Duration.ofMillis(100));
            assertThat(call(webhooks, false)).isTrue();
        }
        assertThat(call(audit, true)).as("its answer, a second after the first, tells the others' rate").isTrue();
        assertThat(intercom.remaining()).isEqualTo(88);

        // 8.5 s before the reset the webhooks need 85 calls at their rate, 107 with a quarter more: more than the 88
        // left, so the audit makes none, where the share alone (2 × 8.5 = 17) would have let it make 71
        assertThat(spendWhileAllowed(audit, true)).isZero();
        assertThat(spendWhileAllowed(webhooks, false)).as("the webhooks, down to the reserve").isEqualTo(86);
        assertThat(intercom.refused).isZero();

        clock.advance(Duration.ofSeconds(9)); // the next window, 9.5 s before its reset: the webhooks have stopped
        assertThat(call(audit, true)).as("a new window: nothing known of it yet").isTrue();
        clock.advance(Duration.ofSeconds(1));
        Duration held = RateLimitPacer.leavingLiveShare(SHARE, audit::reserveCall).get();
        audit.release();
        assertThat(held).as("until a second answer measures them, the others are taken to spend as fast as in the"
                + " window before: 12.5 a second of the 8.5 s left is more than the 99 left, so the audit waits until"
                + " they are 98, 98 / 12.5 = 7.84 s before the reset").isEqualTo(Duration.ofMillis(660));
        clock.advance(held);
        assertThat(call(audit, true)).isTrue();
        assertThat(spendWhileAllowed(audit, true)).as("measured over 1.66 s, the others' rate is nil: the share"
                + " alone holds back 2 × 7.84 = 16").isEqualTo(82);
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
            // sent one at a time: as the client does, the answer names the calls its pacer had let go when it was sent
            pacer.observe(String.valueOf(LIMIT), String.valueOf(remaining()), String.valueOf(resetAt().getEpochSecond()),
                    pacer.callsGone());
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
