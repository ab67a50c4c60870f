package dev.contactfunctions.intercom;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.MutableClock;
import dev.contactfunctions.sandbox.SandboxOptions;

/**
 * The share left to live traffic holds across instances: the audit's instance and two webhook instances (lead capture
 * and identify), each with its own {@link RateLimitPacer}, call the sandbox, which counts them in one window of the
 * app, and each pacer learns the window only from the {@code X-RateLimit-*} headers of its own answers. The sandbox's
 * window runs on a stopped clock that the test moves.
 */
class SharedWindowAcrossInstancesTest {

    private static final int LIMIT = 100;
    private static final double SHARE = 0.2;
    /** Two seconds into a window of the sandbox (windows are aligned to 10 s of its clock). */
    private static final Instant START = Instant.parse("2026-03-01T10:00:02Z");
    private static final Instant RESET = Instant.parse("2026-03-01T10:00:10Z");

    private final MutableClock clock = MutableClock.at(START);
    private final IntercomSandbox sandbox = IntercomSandbox.start(SandboxOptions.builder().clock(clock)
            .rateLimit(LIMIT).build());
    private final HttpClient http = HttpClient.newHttpClient();
    private final RateLimitPacer audit = pacer();
    private final RateLimitPacer leadCapture = pacer();
    private final RateLimitPacer identify = pacer();

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private RateLimitPacer pacer() {
        return new RateLimitPacer(clock, TestConfigs.intercom(Map.of(
                "intercom.rate-limit.reserve", "2", "intercom.retry.jitter", "0ms")));
    }

    @Test
    void theAuditLeavesTheWebhooksOfOtherInstancesAShareOfTheWindowThatTapersToItsReset() {
        assertThat(call(leadCapture, false)).isEqualTo(Duration.ZERO);
        assertThat(call(identify, false)).isEqualTo(Duration.ZERO);

        int audited = spendWhileAllowed(audit, true);

        assertThat(audited).as("8 s before the reset the audit leaves 20 × 8 / 10 = 16 calls").isEqualTo(82);
        int leads = spendWhileAllowed(leadCapture, false);
        int signUps = spendWhileAllowed(identify, false);
        assertThat(leads + signUps).as("the webhooks' calls without a wait: the share, down to the reserve, and one"
                + " into it by the pacer that had not heard of the other's calls").isEqualTo(15);
        assertThat(remaining()).isEqualTo(1);
        assertThat(sandbox.stats().totalWithStatus(429)).isZero();
    }

    @Test
    void asTheResetNearsTheAuditSpendsTheShareAndALiveCallWaitsOnlyUntilTheReset() {
        call(leadCapture, false);
        assertThat(spendWhileAllowed(audit, true)).isEqualTo(83);
        clock.set(RESET.minusSeconds(2));

        assertThat(spendWhileAllowed(audit, true)).as("down to the share 2 s before the reset: 4 calls").isEqualTo(12);
        assertThat(spendWhileAllowed(leadCapture, false)).as("a stale pacer learns the window at its first answer")
                .isEqualTo(2);
        clock.set(RESET.minusMillis(200));
        assertThat(spendWhileAllowed(audit, true)).as("the reserve is left: one call into it by the audit's pacer,"
                + " stale by the webhook's calls").isOne();
        Duration wait = call(leadCapture, false);
        assertThat(wait).as("a live call waits for the reset, 200 ms away").isEqualTo(Duration.ofMillis(200));
        clock.set(RESET);
        assertThat(call(leadCapture, false)).as("and goes in the next window").isEqualTo(Duration.ZERO);
        assertThat(sandbox.stats().totalWithStatus(429)).isZero();
    }

    @Test
    void callsTheWebhooksMadeEarlierInTheWindowCountAgainstTheAuditNotAgainstTheShare() {
        for (int i = 0; i < 30; i++) {
            call(i % 2 == 0 ? leadCapture : identify, false);
        }

        assertThat(spendWhileAllowed(audit, true)).isEqualTo(54);
        assertThat(remaining()).isEqualTo(16);
    }

    private int remaining() {
        return LIMIT - (int) sandbox.stats().totalWithStatus(200);
    }

    private int spendWhileAllowed(RateLimitPacer pacer, boolean background) {
        int calls = 0;
        while (call(pacer, background).isZero()) {
            calls++;
        }
        return calls;
    }

    /**
     * One call as the client makes it, if its pacer lets it start now: {@code GET /tags} on the sandbox, whose
     * rate-limit headers the pacer observes. The wait the pacer asked for, zero when the call was made.
     */
    private Duration call(RateLimitPacer pacer, boolean background) {
        Duration wait = background ? RateLimitPacer.leavingLiveShare(SHARE, pacer::reserveCall).get()
                : pacer.reserveCall();
        try {
            if (wait.isZero()) {
                HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/tags"))
                        .header("Authorization", "Bearer " + sandbox.accessToken())
                        .header("Intercom-Version", "2.14").GET().build(), HttpResponse.BodyHandlers.discarding());
                assertThat(answer.statusCode()).isEqualTo(200);
                pacer.observe(header(answer, "X-RateLimit-Limit"), header(answer, "X-RateLimit-Remaining"),
                        header(answer, "X-RateLimit-Reset"));
            }
            return wait;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pacer.release();
        }
    }

    private static String header(HttpResponse<?> answer, String name) {
        return answer.headers().firstValue(name).orElse(null);
    }
}
