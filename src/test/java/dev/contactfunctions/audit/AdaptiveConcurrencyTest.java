package dev.contactfunctions.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.contactfunctions.intercom.RateLimitPacer;

class AdaptiveConcurrencyTest {

    private static final Instant RESET = Instant.parse("2026-03-01T10:00:10Z");
    /** Intercom's default: 10,000 calls a minute, 1,667 per 10-second window. */
    private static final RateLimitPacer.State WINDOW = new RateLimitPacer.State(1667, RESET, 0, 0);

    private final AdaptiveConcurrency limiter = new AdaptiveConcurrency(128);

    /** Answers as many calls as needed for the limit to settle, each after the round trip. */
    private void settle(AdaptiveConcurrency limiter, Duration roundTrip, RateLimitPacer.State state) {
        for (int i = 0; i < 2_000; i++) {
            limiter.answered(roundTrip, state);
        }
    }

    @ParameterizedTest(name = "{0} ms")
    @CsvSource({"50, 11", "150, 31", "300, 61", "500, 101"})
    void growsToWhatLittlesLawSaysSpendsTheQuota(int roundTripMillis, int expected) {
        assertThat(limiter.limit()).isEqualTo(AdaptiveConcurrency.START);

        settle(limiter, Duration.ofMillis(roundTripMillis), WINDOW);

        // 166.7 calls a second × the round trip, plus 20%: e.g. at 300 ms, 166.7 × 0.3 × 1.2 = 60.01
        assertThat(limiter.limit()).isEqualTo(expected);
    }

    @Test
    void jumpsToWhatLittlesLawSaysAtTheFirstAnswerThatTellsTheQuotaAndTheRoundTrip() {
        assertThat(limiter.expected()).isEqualTo(AdaptiveConcurrency.START);
        limiter.answered(null, null);
        assertThat(limiter.limit()).as("an answer that tells nothing").isEqualTo(AdaptiveConcurrency.START);

        limiter.answered(Duration.ofMillis(300), WINDOW);

        assertThat(limiter.limit()).as("not four, five, six... one round trip at a time").isEqualTo(61);
        assertThat(limiter.expected()).isEqualTo(61);
    }

    @Test
    void theInventorysRoundTripStartsTheReadsAndTheFirstReadsReplacesIt() {
        limiter.inventoryAnswered(Duration.ofMillis(1500), WINDOW); // a listing that counts, after a cold start

        assertThat(limiter.limit()).as("166.7 a second x 1.5 s + 20%, within the bound").isEqualTo(128);
        limiter.answered(Duration.ofMillis(150), WINDOW);
        assertThat(limiter.limit()).as("a page of contacts takes 150 ms: 31, not 128").isEqualTo(31);
    }

    @Test
    void withoutRateLimitHeadersItFeelsItsWayFromTheStart() {
        limiter.answered(Duration.ofMillis(300), null);

        assertThat(limiter.limit()).isEqualTo(AdaptiveConcurrency.START + 1);
    }

    @Test
    void learnsTheWindowFromTheStepsOfTheReset() {
        settle(limiter, Duration.ofMillis(500), new RateLimitPacer.State(1000, RESET, 0, 0));
        assertThat(limiter.limit()).as("1,000 per 10 s until a step is seen").isEqualTo(60);

        settle(limiter, Duration.ofMillis(500), new RateLimitPacer.State(1000, RESET.plusSeconds(60), 0, 0));

        assertThat(limiter.limit()).as("1,000 per 60 s").isEqualTo(10);
    }

    @Test
    void followsALastingChangeOfTheRoundTrip() {
        settle(limiter, Duration.ofMillis(150), WINDOW);
        assertThat(limiter.limit()).isEqualTo(31);

        settle(limiter, Duration.ofMillis(280), WINDOW);

        assertThat(limiter.limit()).isEqualTo(57);
    }

    @Test
    void halvesOnA429ThenGrowsBackByOneARound() {
        settle(limiter, Duration.ofMillis(300), WINDOW);
        assertThat(limiter.limit()).isEqualTo(61);

        limiter.answered(null, new RateLimitPacer.State(1667, RESET, 0, 1));
        assertThat(limiter.limit()).isEqualTo(30);

        limiter.answered(null, new RateLimitPacer.State(1667, RESET, 0, 2));
        assertThat(limiter.limit()).as("one back-off per round of calls in flight").isEqualTo(30);

        for (int i = 0; i < 30; i++) {
            limiter.answered(Duration.ofMillis(300), new RateLimitPacer.State(1667, RESET, 0, 2));
        }
        assertThat(limiter.limit()).as("one more after a round of 30 answers").isEqualTo(31);
    }

    @Test
    void backsOffWhenTheRoundTripRisesToTwiceTheUsualOne() {
        settle(limiter, Duration.ofMillis(150), WINDOW);
        assertThat(limiter.limit()).isEqualTo(31);

        int answers = 0;
        int before = limiter.limit();
        while (limiter.limit() >= before && answers < 20) {
            before = limiter.limit(); // Little's law alone would go on raising it as the usual round trip rises
            limiter.answered(Duration.ofMillis(600), WINDOW);
            answers++;
        }

        assertThat(answers).as("slow answers before the back-off").isEqualTo(3);
        assertThat(limiter.limit()).as("a quarter less than the 36 of the moment").isEqualTo(27);
    }

    @Test
    void withoutRateLimitHeadersGrowsOneByOneUpToTheBound() {
        AdaptiveConcurrency bounded = new AdaptiveConcurrency(16);

        for (int i = 0; i < 12; i++) {
            bounded.answered(Duration.ofMillis(100), null);
        }
        assertThat(bounded.limit()).isEqualTo(16);
        settle(bounded, Duration.ofMillis(100), null);
        assertThat(bounded.limit()).isEqualTo(16);
    }

    @Test
    void staysWithinItsBounds() {
        settle(limiter, Duration.ofSeconds(3), WINDOW);
        assertThat(limiter.limit()).as("Little's law says 600").isEqualTo(128);

        AdaptiveConcurrency fast = new AdaptiveConcurrency(128);
        settle(fast, Duration.ZERO, WINDOW);
        assertThat(fast.limit()).isEqualTo(1);

        AdaptiveConcurrency sequential = new AdaptiveConcurrency(1);
        settle(sequential, Duration.ofMillis(500), WINDOW);
        assertThat(sequential.limit()).isEqualTo(1);

        for (int i = 1; i <= 20; i++) {
            limiter.answered(null, new RateLimitPacer.State(1667, RESET, 0, i * 1000));
            for (int j = 0; j < 128; j++) {
                limiter.answered(null, new RateLimitPacer.State(1667, RESET, 0, i * 1000));
            }
        }
        assertThat(limiter.limit()).isEqualTo(1);
        assertThatIllegalArgumentException().isThrownBy(() -> new AdaptiveConcurrency(0));
    }

    @Test
    void aCallThatWaitedForAResetSaysNothingOfTheRoundTrip() {
        settle(limiter, Duration.ofMillis(150), WINDOW);

        for (int i = 0; i < 100; i++) {
            limiter.answered(null, WINDOW);
        }

        assertThat(limiter.limit()).isEqualTo(31);
    }
}
