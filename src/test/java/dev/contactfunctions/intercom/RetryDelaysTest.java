package dev.contactfunctions.intercom;

import dev.contactfunctions.sandbox.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.smallrye.faulttolerance.api.CustomBackoffStrategy;

class RetryDelaysTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00.250Z");

    private final MutableClock clock = MutableClock.at(NOW);

    private RetryDelays delays(String jitter) {
        return new RetryDelays(clock, retry(jitter));
    }

    private static IntercomConfig.Retry retry(String jitter) {
        return TestConfigs.intercom(Map.of(
                "intercom.retry.initial-delay", "200ms",
                "intercom.retry.max-delay", "1s",
                "intercom.retry.jitter", jitter,
                "intercom.retry.max-rate-limit-wait", "11s")).retry();
    }

    private static IntercomException.RateLimited rateLimitedUntil(Instant reset) {
        return new IntercomException.RateLimited("Exceeded rate limit of 167 in 10_seconds", null, reset);
    }

    private static IntercomException serverError() {
        return new IntercomException.ServerError(503, "service_unavailable", "down", null);
    }

    @Test
    void backoffDoublesFromTheInitialDelayUpToTheMaximum() {
        RetryDelays delays = delays("0ms");

        assertThat(delays.before(1, serverError())).isEqualTo(Duration.ofMillis(200));
        assertThat(delays.before(2, serverError())).isEqualTo(Duration.ofMillis(400));
        assertThat(delays.before(3, serverError())).isEqualTo(Duration.ofMillis(800));
        assertThat(delays.before(4, serverError())).isEqualTo(Duration.ofSeconds(1));
        assertThat(delays.before(40, serverError())).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aRateLimitWaitsExactlyUntilTheWindowResets() {
        Instant reset = Instant.ofEpochSecond(NOW.getEpochSecond() + 3);

        assertThat(delays("0ms").before(1, rateLimitedUntil(reset))).isEqualTo(Duration.ofMillis(2750));
    }

    @Test
    void aRateLimitWaitIsNotCappedByTheBackoffMaximum() {
        Instant reset = Instant.ofEpochSecond(NOW.getEpochSecond() + 9);

        assertThat(delays("0ms").before(1, rateLimitedUntil(reset))).isEqualTo(Duration.ofMillis(8750));
    }

    @Test
    void aResetAlreadyPastMeansNoWaitBeyondJitter() {
        Instant reset = Instant.ofEpochSecond(NOW.getEpochSecond() - 1);

        assertThat(delays("0ms").before(1, rateLimitedUntil(reset))).isZero();
    }

    @Test
    void aRateLimitWithoutResetHeaderBacksOffLikeAnyFailure() {
        assertThat(delays("0ms").before(2, rateLimitedUntil(null))).isEqualTo(Duration.ofMillis(400));
    }

    @Test
    void jitterAddsUpToTheConfiguredAmount() {
        RetryDelays delays = delays("50ms");

        for (int i = 0; i < 200; i++) {
            assertThat(delays.before(1, serverError())).isBetween(Duration.ofMillis(200), Duration.ofMillis(250));
        }
        assertThat(delays.worstCase(1, serverError())).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void aResetFurtherThanTheLongestWaitIsNotWaitedFor() {
        RetryDelays delays = delays("0ms");

        assertThat(delays.rateLimitWaitTooLong(rateLimitedUntil(NOW.plusSeconds(12)))).isTrue();
        assertThat(delays.rateLimitWaitTooLong(rateLimitedUntil(NOW.plusSeconds(10)))).isFalse();
        assertThat(delays.rateLimitWaitTooLong(rateLimitedUntil(null))).isFalse();
        assertThat(delays.rateLimitWaitTooLong(serverError())).isFalse();
    }

    @Test
    void eachGuardedCallCountsItsOwnRetries() {
        RetryDelays delays = delays("0ms");
        CustomBackoffStrategy first = delays.strategy();

        assertThat(first.nextDelayInMillis(serverError())).isEqualTo(200);
        assertThat(first.nextDelayInMillis(serverError())).isEqualTo(400);
        assertThat(delays.strategy().nextDelayInMillis(serverError())).isEqualTo(200);
    }

    /**
     * SnapStart restores every instance of a version from one memory image, the jitter source included: here the
     * snapshot is the source written out, and each restored instance a copy read back from it. A source that is only
     * its state (Random; ThreadLocalRandom, whose per-thread seed is in the image too) would give every instance the
     * same delays, so that all of them retry a failing Intercom in step.
     */
    @Test
    void twoInstancesRestoredFromOneSnapshotDrawDifferentDelays() throws Exception {
        byte[] snapshot = snapshot(RetryDelays.jitterSource());
        RandomGenerator first = restored(snapshot);
        RandomGenerator second = restored(snapshot);

        assertThat(first).as("each restored instance holds a source of its own").isNotSameAs(second);
        assertThat(drawn(first)).isNotEqualTo(drawn(second));
    }

    @Test
    void aSeededSourceRestoredTwiceDrawsTheSameDelays() throws Exception {
        byte[] snapshot = snapshot(new Random());

        assertThat(drawn(restored(snapshot))).as("the check above can fail").isEqualTo(drawn(restored(snapshot)));
    }

    /** Twenty first-retry delays of an instance with up to 1 s of jitter. */
    private List<Duration> drawn(RandomGenerator source) {
        RetryDelays delays = new RetryDelays(clock, retry("1s"), source);
        return IntStream.range(0, 20).mapToObj(i -> delays.before(1, serverError())).toList();
    }

    private static byte[] snapshot(RandomGenerator source) throws IOException {
        ByteArrayOutputStream image = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(image)) {
            out.writeObject(source);
        }
        return image.toByteArray();
    }

    private static RandomGenerator restored(byte[] snapshot) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(snapshot))) {
            return (RandomGenerator) in.readObject();
        }
    }
}
