package dev.contactfunctions.intercom;

import dev.contactfunctions.sandbox.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
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
    void afterWaitingOnceTheWindowIsFresh() {
        pacer.observe("167", "0", RESET_IN_4S);
        pacer.reserveCall();

        assertThat(pacer.reserveCall()).isZero();
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
