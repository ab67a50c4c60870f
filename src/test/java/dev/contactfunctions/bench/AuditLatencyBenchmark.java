package dev.contactfunctions.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.SandboxOptions;

/**
 * The audit at Intercom's round-trip time: the packaged function against the sandbox at Intercom's limit (1,667 calls
 * per 10 s), the sandbox adding a latency to every call. Side by side on a workspace of 10,000 contacts in 20
 * segments with planted problems at 150 ms: the sequential audit ({@code AUDIT_CONCURRENCY=1}) and the adaptive
 * one (the defaults); then the adaptive one alone on 100,000 contacts in 50 segments at 50, 150, 300 and 500 ms with
 * the defaults (and, with {@code -Dbench.no-live-share=true}, also with no share left to live traffic,
 * {@code AUDIT_LIVE_TRAFFIC_SHARE=0}), compared with a sequential run at 0 ms. Run by
 * {@code ./mvnw -B verify -Dbench=audit-latency}; prints one {@code audit_latency:} line per run.
 * {@code -Dbench.latencies=300} runs only the given round trips, {@code -Dbench.skip-small=true} leaves out the
 * 10,000-contact workspace. {@code -Dbench.million=true} adds the run of 1,000,000 contacts in 100 segments at 150 ms
 * ({@code -Dbench.million.contacts} and {@code -Dbench.million.segments} another shape), cut by the function's
 * deadline into several invocations ({@code -Dbench.deadline}, default 15 minutes), with the sandbox in a JVM of its
 * own ({@link SandboxProcess}, heap {@code -Dbench.sandbox.heap}, default 8g): it prints one {@code audit_million:}
 * line with the function JVM's own CPU time per 1,000 contacts.
 */
class AuditLatencyBenchmark {

    static final int LIMIT = AuditAtScaleBenchmark.INTERCOM_LIMIT_PER_WINDOW;
    /** The settings of the sequential reference runs; the adaptive runs keep the defaults. */
    static final Map<String, String> SEQUENTIAL = Map.of("AUDIT_CONCURRENCY", "1");
    static final Map<String, String> ADAPTIVE = Map.of();
    static final Map<String, String> NO_LIVE_SHARE = Map.of("AUDIT_LIVE_TRAFFIC_SHARE", "0");
    /**
     * The sandbox shares the machine's two cores with the function: on a busy machine its answer to a call that
     * counts every segment's members can take longer than the client's 5 s read timeout, which Intercom's does not.
     */
    static final String READ_TIMEOUT_MS = "60000";

    private final List<String> lines = new ArrayList<>();

    @Test
    void theConcurrentAuditUsesTheQuotaWhateverTheRoundTrip() throws Exception {
        String loadBefore = Machine.loadAverage();
        if (!Boolean.getBoolean("bench.skip-small")) {
            try (IntercomSandbox sandbox = IntercomSandbox.start(SandboxOptions.builder().rateLimit(LIMIT).build())) {
                BenchWorkspace.Shape small = new BenchWorkspace.Shape(10_000, 20);
                BenchWorkspace.seedWithPlantedProblems(sandbox, small, 2027);
                PackagedAudit.Outcome sequential = audit(sandbox, small, "small-sequential", 150, SEQUENTIAL, null);
                audit(sandbox, small, "small-adaptive", 150, ADAPTIVE, sequential);
            }
        }
        try (IntercomSandbox sandbox = IntercomSandbox.start(SandboxOptions.builder().rateLimit(LIMIT).build())) {
            BenchWorkspace.Shape large = new BenchWorkspace.Shape(100_000, 50);
            BenchWorkspace.seed(sandbox, large, 2026);
            warmUp(sandbox);
            PackagedAudit.Outcome reference = audit(sandbox, large, "large-sequential", 0, SEQUENTIAL, null);
            List<Map<String, String>> variants = Boolean.getBoolean("bench.no-live-share")
                    ? List.of(ADAPTIVE, NO_LIVE_SHARE) : List.of(ADAPTIVE);
            for (Map<String, String> settings : variants) {
                for (int latency : latencies()) {
                    PackagedAudit.Outcome run = audit(sandbox, large, "large-adaptive-" + latency
                            + (settings.isEmpty() ? "" : "-no-live-share"), latency, settings, reference);
                    assertThat(run.findings()).as("the report at " + latency + " ms").isEqualTo(reference.findings());
                }
            }
        }
        String report = "Load average (1 / 5 / 15 min) before: " + loadBefore + "; after: " + Machine.loadAverage()
                + "\n\n" + String.join("\n", lines) + "\n";
        Files.createDirectories(BenchMode.workDir());
        Files.writeString(BenchMode.workDir().resolve("audit-latency.txt"), report);
        System.out.println(report);
    }

    @Test
    void aMillionContactsWithTheSandboxInItsOwnProcess() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("bench.million"), "-Dbench.million=true runs it");
        Duration deadline = Duration.parse("PT" + System.getProperty("bench.deadline", "15m").toUpperCase(Locale.ROOT));
        BenchWorkspace.Shape shape = new BenchWorkspace.Shape(Integer.getInteger("bench.million.contacts", 1_000_000),
                Integer.getInteger("bench.million.segments", 100));
        String loadBefore = Machine.loadAverage();
        try (SandboxProcess sandbox = SandboxProcess.start(shape, 2028, LIMIT, Duration.ofMillis(150),
                System.getProperty("bench.sandbox.heap", "8g"))) {
            PackagedAudit.Outcome run = PackagedAudit.run(sandbox, "million-adaptive-150",
                    Map.of("INTERCOM_READ_TIMEOUT_MS", READ_TIMEOUT_MS), deadline, 50);
            assertThat(run.summary().path("contactsScanned").asLong()).isEqualTo(sandbox.contacts());
            double minimum = run.minimumSeconds(LIMIT);
            String line = String.format(Locale.ROOT, "audit_million: latency_ms=150 concurrency=adaptive contacts=%d"
                    + " segments=%d calls=%d wall_s=%.1f minimum_s=%.1f quota_used_pct=%.1f rate_429_pct=%.2f"
                    + " peak_heap_mb=%d function_cpu_s=%.1f cpu_ms_per_1000_contacts=%.1f invocations=%d"
                    + " sandbox=own-process", run.summary().path("contactsScanned").asLong(),
                    shape.segments(), run.calls(), run.wallSeconds(), minimum, 100 * minimum / run.wallSeconds(),
                    100 * run.share429(), run.heap().peakBytes() / (1024 * 1024), run.functionCpuSeconds(),
                    run.cpuMillisPerThousandContacts(), run.invocations());
            String report = "Load average (1 / 5 / 15 min) before: " + loadBefore + "; after: " + Machine.loadAverage()
                    + "\n\n" + line + "\n";
            Files.createDirectories(BenchMode.workDir());
            Files.writeString(BenchMode.workDir().resolve("audit-million.txt"), report);
            System.out.println(report);
        }
    }

    /** {@code -Dbench.latencies=300,500} runs those round trips alone; by default 50, 150, 300 and 500 ms. */
    private static List<Integer> latencies() {
        return java.util.Arrays.stream(System.getProperty("bench.latencies", "50,150,300,500").split(","))
                .map(String::strip).map(Integer::valueOf).toList();
    }

    /**
     * One concurrent audit, not measured, without latency or limit and with a long read timeout: the sandbox
     * computes and keeps each partition's result and the segments' counts once (a search of a new query scans the
     * workspace), so that the measured runs time the function and not the sandbox's first scans on the machine's two
     * shared cores.
     */
    static void warmUp(IntercomSandbox sandbox) throws Exception {
        sandbox.setRateLimit(BenchSandbox.UNLIMITED);
        sandbox.setLatency(Duration.ZERO);
        PackagedAudit.run(sandbox, "large-warm-up", Map.of("INTERCOM_READ_TIMEOUT_MS", READ_TIMEOUT_MS),
                Duration.ofMinutes(15), 5);
        sandbox.setRateLimit(LIMIT);
    }

    private PackagedAudit.Outcome audit(IntercomSandbox sandbox, BenchWorkspace.Shape shape, String label,
            int latencyMillis, Map<String, String> settings, PackagedAudit.Outcome reference) throws Exception {
        sandbox.setLatency(Duration.ofMillis(latencyMillis));
        Map<String, String> environment = new java.util.HashMap<>(settings);
        environment.put("INTERCOM_READ_TIMEOUT_MS", READ_TIMEOUT_MS);
        PackagedAudit.Outcome run;
        List<Long> perWindow;
        try (WindowCounts windows = WindowCounts.start(SandboxControl.of(sandbox))) {
            run = PackagedAudit.run(sandbox, label, environment, Duration.ofMinutes(15), 1);
            perWindow = windows.perWindow();
        }
        assertThat(run.summary().path("contactsScanned").asLong()).isEqualTo(sandbox.contacts().size());
        print(run, latencyMillis, settings, shape, reference, perWindow);
        return run;
    }

    /** One line; {@code findings_equal} compares with the reference run (a reference run is equal to itself). */
    private void print(PackagedAudit.Outcome run, int latencyMillis, Map<String, String> settings,
            BenchWorkspace.Shape shape, PackagedAudit.Outcome reference, List<Long> perWindow) {
        JsonNode findings = run.findings();
        boolean equal = reference == null || findings.equals(reference.findings());
        double minimum = run.minimumSeconds(LIMIT);
        String line = String.format(Locale.ROOT, "audit_latency: latency_ms=%d concurrency=%s contacts=%d segments=%d"
                + " calls=%d wall_s=%.1f minimum_s=%.1f quota_used_pct=%.1f rate_429_pct=%.2f peak_heap_mb=%d"
                + " findings_equal=%s", latencyMillis, settings.getOrDefault("AUDIT_CONCURRENCY", "adaptive"), run.summary().path("contactsScanned").asLong(),
                shape.segments(), run.calls(),
                run.wallSeconds(), minimum, 100 * minimum / run.wallSeconds(), 100 * run.share429(),
                run.heap().peakBytes() / (1024 * 1024), equal);
        String detail = String.format(Locale.ROOT, "  (%s: %d invocation(s), live traffic share %s, calls answered"
                + " 200 per whole window %s, load %s)", run.label(), run.invocations(),
                settings.getOrDefault("AUDIT_LIVE_TRAFFIC_SHARE", "default"), perWindow, Machine.loadAverage());
        System.out.println(line + "\n" + detail);
        lines.add(line);
        lines.add(detail);
    }
}
