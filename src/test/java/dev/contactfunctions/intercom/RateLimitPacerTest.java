package dev.contactfunctions.intercom;

import dev.contactfunctions.sandbox.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RateLimitPacerTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00.500Z");
    private static final String RESET_IN_4S = String.valueOf(NOW.getEpochSecond() + 4);

    private final MutableClock clock = MutableClock.at(NOW);
    private final RateLimitPacer pacer = new RateLimitPacer(clock, TestConfigs.intercom(Map.of(
            "intercom.rate-limit.reserve", "2",
            "intercom.retry.jitter", "0ms")));

    @Test
    void callsGoStraightThroughWithoutRateLimitHeaders() {
        assertThat(pacer.reserveCall()).isZero();
    }

    @Test
    void callsAboveTheReserveGoStraightThroughAndCountAgainstTheWindow() {
        pacer.observe("167", "4", RESET_IN_4S);

        assertThat(pacer.reserveCall()).isZero();
        assertThat(pacer.reserveCall()).isZero();
        assertThat(pacer.reserveCall()).isEqualTo(Duration.ofMillis(3500));
    }

    @Test
    void atTheReserveTheNextCallWaitsForTheReset() {
        pacer.observe("167", "2", RESET_IN_4S);

        assertThat(pacer.reserveCall()).isEqualTo(Duration.ofMillis(3500));
    }

    @Test
    void onceTheWindowIsSpentEveryCallWaitsForTheResetNotOnlyTheFirst() {
        pacer.observe("167", "0", RESET_IN_4S);

        assertThat(pacer.reserveCall()).isEqualTo(Duration.ofMillis(3500));
        assertThat(pacer.reserveCall()).isEqualTo(Duration.ofMillis(3500));
        clock.advance(Duration.ofMillis(3500));
        assertThat(pacer.reserveCall()).isZero();
    }

    @Test
    void callsStillInFlightCountAsSpentWhenAnAnswerTellsWhatIsLeft() {
        pacer.observe("167", "20", RESET_IN_4S);
        for (int i = 0; i < 10; i++) {
            assertThat(pacer.reserveCall()).isZero();
        }
        // the first of the ten is answered: the server counted it, maybe not the nine still in flight
        pacer.observe("167", "19", RESET_IN_4S);
        pacer.release();

        int started = 0;
        while (pacer.reserveCall().isZero()) {
            started++;
        }
        assertThat(started).as("19 left, 9 of them taken by the calls in flight, 2 kept in reserve").isEqualTo(8);
    }

    @Test
    void anAnswerCountsTheCallsSentBeforeItSoOnlyThoseSentAfterItAreTakenAsSpent() {
        pacer.observe("167", "40", RESET_IN_4S);
        long[] goneWhenSent = new long[10];
        for (int i = 0; i < 10; i++) {
            assertThat(pacer.reserveCall()).isZero();
            goneWhenSent[i] = pacer.callsGone(); // what the client's request filter reads as the call is sent
        }
        // the sixth of the ten is answered first: Intercom counted it and the five sent before it, not the four after
        pacer.observe("167", "34", RESET_IN_4S, goneWhenSent[5]);
        pacer.release();

        int started = 0;
        while (pacer.reserveCall().isZero()) {
            started++;
        }
        // taking all nine others as not counted would leave 34 - 9 - 2 = 23, five calls of the window unspent
        assertThat(started).as("34 left, 4 of them taken by the calls sent after, 2 kept in reserve").isEqualTo(28);
    }

    @Test
    void aLateAnswerOfTheWindowBeforeDoesNotRefillTheCurrentOne() {
        pacer.observe("167", "3", RESET_IN_4S);
        pacer.observe("167", "150", String.valueOf(NOW.getEpochSecond() - 6));

        assertThat(pacer.reserveCall()).isZero();
        assertThat(pacer.reserveCall()).isEqualTo(Duration.ofMillis(3500));
    }

    /**
     * Many calls in flight, answered out of order, against a server that counts each call when it arrives: the
     * pacer never lets more calls into the window than it allows.
     */
    @Test
    void manyCallsInFlightNeverOverrunTheWindow() {
        int limit = 100;
        int inFlightMax = 16;
        ArrayDeque<Integer> inFlight = new ArrayDeque<>();
        pacer.observe(String.valueOf(limit), String.valueOf(limit), RESET_IN_4S);
        int arrived = 0;
        for (int step = 0; step < 1_000; step++) {
            if (inFlight.size() < inFlightMax) {
                if (pacer.reserveCall().isZero()) {
                    arrived++;
                    inFlight.add(Math.max(0, limit - arrived)); // what this call's answer will report
                    continue;
                }
                pacer.release(); // it would wait for the reset: the window is spent as far as the pacer knows
                if (inFlight.isEmpty()) {
                    break;
                }
            }
            int reported = step % 3 == 0 ? inFlight.pollLast() : inFlight.pollFirst(); // answered out of order
            pacer.observe(String.valueOf(limit), String.valueOf(reported), RESET_IN_4S);
            pacer.release();
        }
        assertThat(arrived).as("calls let into the window of " + limit)
                .isLessThanOrEqualTo(limit).isGreaterThanOrEqualTo(limit - inFlightMax - 2);
    }

    @Test
    void aWindowThatHasResetIsForgotten() {
        pacer.observe("167", "0", RESET_IN_4S);
        clock.advance(Duration.ofSeconds(4));

        assertThat(pacer.reserveCall()).isZero();
    }

    @Test
    void answersWithoutRemainingLeaveTheWindowAlone() {
        pacer.observe("167", "1", RESET_IN_4S);
        pacer.observe(null, null, null);
        pacer.observe("167", "lots", RESET_IN_4S);

        assertThat(pacer.reserveCall()).isEqualTo(Duration.ofMillis(3500));
    }

    @Test
    void anUnreadableResetNeverBlocks() {
        pacer.observe("167", "0", "tomorrow");

        assertThat(pacer.reserveCall()).isZero();
    }
}
