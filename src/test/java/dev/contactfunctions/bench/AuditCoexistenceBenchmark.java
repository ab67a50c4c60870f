package dev.contactfunctions.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.testsupport.TestLambdaContext;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Live traffic during an audit at full speed: the packaged {@code segment-audit} (its own JVM, its own pacer) audits
 * 100,000 contacts in 50 segments against the sandbox at Intercom's limit and 150 ms a call while this JVM (another
 * warm instance, with the webhook functions' pacer) answers {@value #WEBHOOKS} lead captures and sign-ups, API
 * Gateway events of their routes given the template's 15-second timeout, spread over the same period: two instances
 * sharing one app's quota, each seeing the same rate-limit headers. The sandbox runs in a JVM of its own
 * ({@link SandboxProcess}), as Intercom shares no core with the functions. Prints one {@code audit_coexistence:}
 * line. Run by {@code ./mvnw -B verify -Dbench=audit-latency}.
 */
@QuarkusTest
@TestProfile(BenchProfile.AuditCoexistence.class)
@WithTestResource(AuditCoexistenceBenchmark.SandboxInItsOwnProcess.class)
class AuditCoexistenceBenchmark {

    static final int WEBHOOKS = 1_000;
    static final int LATENCY_MS = 150;
    /** The lead-capture and identify functions' timeout in the template: a delivery not done by then is queued. */
    static final Duration ROUTE_BUDGET = Duration.ofSeconds(15);
    /**
     * Intercom's search shows a write a few minutes after it: the webhooks' new contacts stay out of the audit's
     * searches for the run, and the sandbox keeps the audit's search results meanwhile instead of scanning its
     * 100,000 contacts again after every write.
     */
    static final Duration SEARCH_LAG = Duration.ofMinutes(2);
    /** How long the webhooks are spread over: about the audit's time at its share of the quota. */
    static final Duration SPREAD = Duration.ofSeconds(30);

    /** The sandbox process, seeded with 100,000 contacts in 50 segments, for the whole class. */
    public static class SandboxInItsOwnProcess implements QuarkusTestResourceLifecycleManager {

        static SandboxProcess sandbox;

        @Override
        public Map<String, String> start() {
            try {
                sandbox = SandboxProcess.start(new BenchWorkspace.Shape(100_000, 50), 2026, BenchSandbox.UNLIMITED,
                        Duration.ZERO, SEARCH_LAG, System.getProperty("bench.sandbox.heap", "3g"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("intercom.base-url", sandbox.baseUrl(), "intercom.access-token", sandbox.accessToken());
        }

        @Override
        public void stop() {
            try {
                sandbox.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private record Answer(int status, long nanos) {
    }

    @Test
    void webhooksAreAnsweredWhileAnAuditRunsAtFullSpeed() throws Exception {
        String loadBefore = Machine.loadAverage();
        SandboxProcess sandbox = SandboxInItsOwnProcess.sandbox;
        assertThat(leadCapture()).as("a warm instance").isEqualTo(200);
        assertThat(signUp()).isEqualTo(200);
        // then one unmeasured audit fills the sandbox's kept search results and counts, as AuditLatencyBenchmark.warmUp
        // does (a write after it would drop the counts)
        PackagedAudit.run(sandbox, "coexistence-warm-up", Map.of("INTERCOM_READ_TIMEOUT_MS",
                AuditLatencyBenchmark.READ_TIMEOUT_MS), Duration.ofMinutes(15), 5);
        sandbox.setRateLimit(AuditLatencyBenchmark.LIMIT);
        sandbox.setLatency(Duration.ofMillis(LATENCY_MS));
        sandbox.resetStats();

        WindowCounts windows = WindowCounts.start(sandbox);
        ExecutorService auditThread = Executors.newSingleThreadExecutor();
        Future<PackagedAudit.Outcome> audit = auditThread.submit(() -> PackagedAudit.run(sandbox, "coexistence-audit",
                Map.of("INTERCOM_READ_TIMEOUT_MS", AuditLatencyBenchmark.READ_TIMEOUT_MS), Duration.ofMinutes(15), 1));
        while (sandbox.counts().total() == 0 && !audit.isDone()) { // the audit's first call: it has started
            Thread.sleep(10);
        }
        // a thread per webhook, started when it is due, as API Gateway invokes a function per request however many
        // are still running: a fixed pool would hold deliveries back while earlier ones wait for the quota
        ExecutorService senders = Executors.newCachedThreadPool();
        List<Future<Answer>> answers = new ArrayList<>();
        long spacing = SPREAD.toNanos() / WEBHOOKS;
        long start = System.nanoTime();
        for (int i = 0; i < WEBHOOKS; i++) {
            long due = start + i * spacing;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            boolean lead = i % 2 == 0;
            answers.add(senders.submit(() -> {
                int status = lead ? leadCapture() : signUp();
                return new Answer(status, System.nanoTime() - due); // from when it was due, not when a thread took it
            }));
        }
        List<Answer> done = new ArrayList<>();
        for (Future<Answer> answer : answers) {
            done.add(answer.get(5, TimeUnit.MINUTES));
        }
        senders.shutdown();
        PackagedAudit.Outcome outcome = audit.get(20, TimeUnit.MINUTES);
        auditThread.shutdown();
        windows.close();

        long ok = done.stream().filter(a -> a.status() == 200 && a.nanos() <= ROUTE_BUDGET.toNanos()).count();
        long queued = done.stream().filter(a -> a.status() == 202).count();
        double[] millis = done.stream().mapToDouble(a -> a.nanos() / 1e6).sorted().toArray();
        double p99 = millis[(int) Math.ceil(0.99 * millis.length) - 1];
        long auditCalls = outcome.summary().path("apiCalls").asLong();
        double perSecond = AuditLatencyBenchmark.LIMIT / PackagedAudit.WINDOW_SECONDS;
        double quota = perSecond * outcome.wallSeconds();
        long webhookCalls = outcome.okCalls() - auditCalls;
        // the audit's calls of the quota in its time, and of what the webhooks' calls left of it
        String line = String.format(Locale.ROOT, "audit_coexistence: latency_ms=%d contacts=%d webhooks=%d"
                + " webhook_200_pct=%.1f webhook_202=%d webhook_p99_ms=%.0f audit_quota_used_pct=%.1f"
                + " webhook_calls=%d audit_of_quota_left_pct=%.1f", LATENCY_MS,
                outcome.summary().path("contactsScanned").asLong(), done.size(), 100.0 * ok / done.size(), queued,
                p99, 100 * auditCalls / quota, webhookCalls, 100 * auditCalls / (quota - webhookCalls));
        String detail = String.format(Locale.ROOT, "  (audit: %d calls in %.1f s; all calls answered 200: %d, 429: %d,"
                + " so %.1f%% of the quota in the audit's time; calls answered 200 per whole window %s; webhooks' other"
                + " statuses: %s; load before %s, after %s)",
                auditCalls, outcome.wallSeconds(), outcome.okCalls(), outcome.answered429(),
                100 * outcome.okCalls() / quota, windows.perWindow(),
                done.stream().filter(a -> a.status() != 200 && a.status() != 202).map(Answer::status).toList(),
                loadBefore, Machine.loadAverage());
        String report = line + "\n" + detail + "\n";
        Files.createDirectories(BenchMode.workDir());
        Files.writeString(BenchMode.workDir().resolve("audit-coexistence.txt"), report);
        System.out.println(report);
    }

    private static int leadCapture() {
        ObjectNode body = BenchEvents.body(BenchEvents.LEAD_CAPTURE).put("email", newEmail("lead"));
        body.remove("custom_attributes"); // the generated workspace has attributes of these names with other types
        ObjectNode event = BenchEvents.signed(BenchEvents.LEAD_CAPTURE, body);
        BenchEvents.header(event, "idempotency-key", "bench-" + UUID.randomUUID());
        return webhook("lead-capture", "LeadCaptureFunction", event);
    }

    private static int signUp() {
        ObjectNode body = BenchEvents.body(BenchEvents.IDENTIFY).put("external_id", "user-" + UUID.randomUUID())
                .put("email", newEmail("user"));
        body.remove("custom_attributes");
        return webhook("identify-merge", "IdentifyMergeFunction", BenchEvents.signed(BenchEvents.IDENTIFY, body));
    }

    private static int webhook(String handlerName, String functionName, ObjectNode event) {
        byte[] answer = InProcessFunctions.invoke(InProcessFunctions.handler(handlerName), APIGatewayV2HTTPEvent.class,
                event.toString().getBytes(), new TestLambdaContext(functionName, ROUTE_BUDGET));
        return InProcessFunctions.statusOf(answer);
    }

    private static String newEmail(String name) {
        return name + "." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }
}
