package dev.contactfunctions.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.sandbox.IntercomSandbox;

/**
 * The packaged {@code segment-audit} function, forked as its own JVM with a 256 MB heap ({@link FunctionProcess}),
 * invoked by the schedule's event against a sandbox until its report is complete: one invocation, or several when
 * the deadline cuts the run (each resumes from the checkpoint the previous one saved). Counters come from the
 * sandbox, reset when the first invocation starts at the beginning of a rate-limit window.
 */
final class PackagedAudit {

    static final double WINDOW_SECONDS = 10;

    private PackagedAudit() {
    }

    /** One audit, possibly over several invocations: wall time is the sum of their durations. */
    record Outcome(String label, double wallSeconds, long calls, long answered429, long okCalls, double sandboxSeconds,
            FunctionProcess.HeapUse heap, long peakRssKb, JsonNode summary, int invocations, Path reportDir,
            double functionCpuSeconds) {

        /** The function JVM's CPU time over its invocations (start-up left out), per 1,000 contacts audited. */
        double cpuMillisPerThousandContacts() {
            long contacts = summary.path("contactsScanned").asLong();
            return contacts == 0 ? 0 : functionCpuSeconds * 1000 * 1000 / contacts;
        }

        /** The calls answered 200 divided by the limit's rate: the time the quota allows at best. */
        double minimumSeconds(int limitPerWindow) {
            return okCalls / (limitPerWindow / WINDOW_SECONDS);
        }

        double share429() {
            return calls == 0 ? 0 : (double) answered429 / calls;
        }

        /**
         * The complete report's findings, segments and workspace counts: what two runs of the same workspace must
         * agree on (the inactive leads' count, not their cutoff instant).
         */
        JsonNode findings() {
            try {
                ObjectNode report = (ObjectNode) BenchEvents.JSON.readTree(
                        reportDir.resolve("latest").resolve("audit-report.json").toFile());
                report.remove("run");
                report.remove("options");
                // the inactivity cutoff is counted back from the run's start, which differs between runs
                ((ObjectNode) report.path("findings").path("inactiveLeads")).remove("cutoff");
                return report;
            } catch (IOException e) {
                throw new IllegalStateException("no complete report in " + reportDir, e);
            }
        }
    }

    /**
     * Runs the audit to completion with the function's environment plus {@code settings}, each invocation given
     * {@code deadline}; fails after {@code maxInvocations}.
     */
    static Outcome run(IntercomSandbox sandbox, String label, Map<String, String> settings, Duration deadline,
            int maxInvocations) throws Exception {
        return run(SandboxControl.of(sandbox), label, settings, deadline, maxInvocations);
    }

    static Outcome run(SandboxControl sandbox, String label, Map<String, String> settings, Duration deadline,
            int maxInvocations) throws Exception {
        Path reportDir = BenchMode.workDir().toAbsolutePath().resolve(label + "-reports");
        Map<String, String> environment = new HashMap<>(FunctionProcess.againstSandbox(sandbox, label + "-reports"));
        environment.putAll(settings);
        LambdaRuntimeEmulator runtime = LambdaRuntimeEmulator.start();
        FunctionProcess process = FunctionProcess.start(label, "segment-audit", runtime, environment);
        JsonNode summary = null;
        double wall = 0;
        int invocations = 0;
        long peakRss;
        Duration cpuBefore;
        Duration cpu;
        try {
            try {
                runtime.ready().get(2, TimeUnit.MINUTES);
            } catch (Exception e) {
                throw new AssertionError("the audit function did not start: " + e + "\n" + process.outputTail(), e);
            }
            startOfNextWindow(); // the previous run's calls do not count against this one
            sandbox.resetStats();
            cpuBefore = process.cpuTime();
            do {
                var answer = runtime.invoke(BenchEvents.event(BenchEvents.SCHEDULE).toString(), deadline);
                LambdaRuntimeEmulator.Invocation invocation;
                try {
                    invocation = answer.get(deadline.toMinutes() + 1, TimeUnit.MINUTES);
                } catch (Exception e) {
                    throw new AssertionError("the audit did not answer: " + e + "\n" + process.outputTail(), e);
                }
                assertThat(invocation.error()).as(invocation.body() + "\n" + process.outputTail()).isFalse();
                invocations++;
                wall += invocation.duration().toNanos() / 1e9;
                summary = BenchEvents.JSON.readTree(invocation.body());
            } while (summary.path("resumeNeeded").asBoolean() && invocations < maxInvocations);
            peakRss = process.peakResidentKb().orElse(0);
            cpu = process.cpuTime().minus(cpuBefore);
        } finally {
            process.close();
            runtime.close();
        }
        assertThat(summary.path("status").asText()).as(summary.toString()).isEqualTo("complete");
        SandboxControl.Counts counts = sandbox.counts();
        return new Outcome(label, wall, counts.total(), counts.answered429(), counts.ok(),
                counts.serviceTime().toNanos() / 1e9, process.heapUse(), peakRss, summary, invocations, reportDir,
                cpu.toNanos() / 1e9);
    }

    /** Waits for the next rate-limit window: windows are aligned to the clock, [k*10 s, (k+1)*10 s). */
    static void startOfNextWindow() throws InterruptedException {
        long windowMillis = (long) (WINDOW_SECONDS * 1000);
        long now = System.currentTimeMillis();
        Thread.sleep(windowMillis - now % windowMillis + 5);
    }
}
