package dev.contactfunctions.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.contactfunctions.sandbox.SandboxHttp.Reply;

/**
 * Many calls at once, as the audit makes them: the sandbox serves them concurrently under its latency knob (as
 * Intercom does, each call waits its own round trip, not the others'), and counts them exactly against the
 * rate-limit window.
 */
class SandboxConcurrencyTest {

    static final int CALLS_AT_ONCE = 16;

    @Test
    void callsInFlightWaitOutTheLatencyTogether() throws Exception {
        try (IntercomSandbox sandbox = IntercomSandbox.start(SandboxOptions.builder().latency(Duration.ofSeconds(2))
                .build())) {
            SandboxHttp http = new SandboxHttp(sandbox);

            List<Reply> replies = atOnce(CALLS_AT_ONCE, () -> http.get("/contacts?per_page=1"));

            assertThat(replies).extracting(Reply::status).containsOnly(200);
            assertThat(sandbox.stats().peakInFlight()).as("requests served at once").isEqualTo(CALLS_AT_ONCE);
        }
    }

    @Test
    void theWindowCountsEveryConcurrentCallExactlyOnce() throws Exception {
        MutableClock clock = MutableClock.at(Instant.parse("2026-03-01T10:00:01Z"));
        try (IntercomSandbox sandbox = IntercomSandbox.start(SandboxOptions.builder().clock(clock).rateLimit(40)
                .build())) {
            SandboxHttp http = new SandboxHttp(sandbox);

            List<Reply> replies = atOnce(64, () -> http.get("/tags"));

            assertThat(replies.stream().filter(r -> r.status() == 200).count()).isEqualTo(40);
            assertThat(replies.stream().filter(r -> r.status() == 429).count()).isEqualTo(24);
            assertThat(replies.stream().filter(r -> r.status() == 200)
                    .map(r -> Integer.valueOf(r.header("X-RateLimit-Remaining"))).sorted().toList())
                    .as("each answer in the window leaves one call fewer").isEqualTo(countdown(39));
            assertThat(replies).extracting(r -> r.header("X-RateLimit-Reset")).containsOnly("1772359210");

            clock.advance(Duration.ofSeconds(9)); // the next window
            assertThat(http.get("/tags").header("X-RateLimit-Remaining")).isEqualTo("39");
        }
    }

    private static List<Integer> countdown(int from) {
        List<Integer> values = new ArrayList<>();
        for (int i = 0; i <= from; i++) {
            values.add(i);
        }
        return values;
    }

    private static List<Reply> atOnce(int calls, Callable<Reply> call) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(calls);
        try {
            List<Future<Reply>> answers = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                answers.add(threads.submit(call));
            }
            List<Reply> replies = new ArrayList<>();
            for (Future<Reply> answer : answers) {
                replies.add(answer.get());
            }
            return replies;
        } finally {
            threads.shutdownNow();
        }
    }
}
