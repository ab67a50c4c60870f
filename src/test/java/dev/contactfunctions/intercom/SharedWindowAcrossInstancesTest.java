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
    void theAuditLeavesAFifthOfEachWindowToTheWebhooksOfOtherInstancesUntilItsLastSecond() {
        assertThat(call(leadCapture, false)).isEqualTo(Duration.ZERO);
        assertThat(call(identify, false)).isEqualTo(Duration.ZERO);

        int audited = spendWhileAllowed(audit, true);
        Duration auditWait = call(audit, true);

        assertThat(audited).as("the audit stops at a fifth of the window left").isEqualTo(78);
        assertThat(auditWait).as("until a second before the reset the sandbox announces")
                .isEqualTo(Duration.between(clock.instant(), RESET.minusSeconds(1)));
        int leads = spendWhileAllowed(leadCapture, false);
        int signUps = spendWhileAllowed(identify, false);
        assertThat(leads + signUps).as("the webhooks' calls without a wait: the share, down to the reserve")
                .isEqualTo(19);
        assertThat(remaining()).isEqualTo(1);
        assertThat(sandbox.stats().totalWithStatus(429)).isZero();
    }

    @Test
    void inTheWindowsLastSecondTheAuditSpendsTheShareAndALiveCallWaitsAtMostThatSecond() {
        call(leadCapture, false);
        spendWhileAllowed(audit, true);
        clock.set(RESET.minusSeconds(1));

        assertThat(spendWhileAllowed(audit, true)).as("the share, down to the reserve").isEqualTo(18);
        assertThat(spendWhileAllowed(leadCapture, false)).as("a stale pacer: one call into the reserve").isOne();
        Duration wait = call(leadCapture, false);
        assertThat(wait).as("the next waits for the reset, a second away").isEqualTo(Duration.ofSeconds(1));
        clock.set(RESET);
        assertThat(call(leadCapture, false)).as("and goes in the next window").isEqualTo(Duration.ZERO);
        assertThat(sandbox.stats().totalWithStatus(429)).isZero();
    }

    @Test
    void callsTheWebhooksMadeEarlierInTheWindowCountAgainstTheAuditNotAgainstTheShare() {
        for (int i = 0; i < 30; i++) {
            call(i % 2 == 0 ? leadCapture : identify, false);
        }

        assertThat(spendWhileAllowed(audit, true)).isEqualTo(50);
        assertThat(remaining()).isEqualTo(20);
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
