package dev.contactfunctions.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.SandboxOptions;

/**
 * Figure 4: each function started cold as its own JVM from the packaged application, handed one real-shaped event
 * through an emulated Lambda Runtime API, against the sandbox. Timed from just before the fork to the function's
 * first poll (ready) and to its answer to the first event; resident memory read from {@code /proc/<pid>/status}
 * once it has answered.
 */
class StartupBenchmark {

    static final int AUDITED_CONTACTS = 300;

    private record Function(String handler, String event, Supplier<String> firstEvent) {
    }

    private record Start(double readyMillis, double answeredMillis, double firstInvocationMillis, long rssKb,
            long peakRssKb) {
    }

    @Test
    void eachFunctionStartsAndAnswersItsFirstEvent() throws Exception {
        BenchMode mode = BenchMode.current();
        String loadBefore = Machine.loadAverage();
        List<Function> functions = List.of(
                new Function("lead-capture", "a new lead (`lead-capture-json.json`)", StartupBenchmark::newLead),
                new Function("identify-merge", "a sign-up (`identify.json`)", StartupBenchmark::signUp),
                new Function("segment-audit", String.format("the schedule (`segment-audit.json`), %d contacts",
                        AUDITED_CONTACTS), () -> BenchEvents.event(BenchEvents.SCHEDULE).toString()));
        List<FunctionProcess.Launcher> launchers = launchers();
        Table table = new Table("function", "started by", "first event", "cold starts", "start → ready (init, median)",
                "→ first event answered (median, min–max)", "first invocation alone (median)",
                "RSS after it (median)", "peak RSS (max)");
        try (IntercomSandbox sandbox = IntercomSandbox.start(SandboxOptions.builder()
                .rateLimit(BenchSandbox.UNLIMITED).build())) {
            sandbox.defineDataAttribute("company_size", "string"); // as the lead event has it
            BenchWorkspace.seed(sandbox, new BenchWorkspace.Shape(AUDITED_CONTACTS, 4), 11);
            for (Function function : functions) {
                for (FunctionProcess.Launcher launcher : launchers) {
                    List<Start> starts = new ArrayList<>();
                    for (int run = 1; run <= mode.startsPerFunction; run++) {
                        starts.add(coldStart(sandbox, launcher, function, run));
                    }
                    double[] answered = starts.stream().mapToDouble(Start::answeredMillis).sorted().toArray();
                    table.row("`" + function.handler() + "`", launcher.label, function.event(), starts.size(),
                            Latencies.ms(median(starts.stream().mapToDouble(Start::readyMillis))),
                            Latencies.ms(median(Arrays.stream(answered))) + " (" + Latencies.ms(answered[0]) + "–"
                                    + Latencies.ms(answered[answered.length - 1]) + ")",
                            Latencies.ms(median(starts.stream().mapToDouble(Start::firstInvocationMillis))),
                            mb(median(starts.stream().mapToDouble(Start::rssKb))),
                            mb(starts.stream().mapToDouble(Start::peakRssKb).max().orElse(0)));
                }
            }
        }
        String body = table.markdown() + "\n" + """
                Each cold start forks the function from the packaged application with the JVM variant's options
                from template.yaml and the heap of the targets (`%s`), `QUARKUS_LAMBDA_HANDLER` set, an otherwise
                empty environment (the sandbox's URL and token, the local webhook secrets) and
                `AWS_LAMBDA_RUNTIME_API` pointing at an emulated Lambda Runtime API in the benchmark, which holds the
                first event ready. It is started two ways. *runtime client*: AWS's own Java runtime interface client
                (`aws-lambda-java-runtime-interface-client` 2.10.1), as the managed `java21` runtime starts it: the
                working directory is the unpacked `target/function.zip`, the client alone is on the class path, and
                it loads `QuarkusStreamHandler::handleRequest` (the template's JVM handler) with its own class
                loader from that directory and its `lib/`. *bootstrap*: the benchmark's `LambdaJvmBootstrap`, a
                minimal poll loop on the `-runner.jar` and `lib/` class path. In both, the handler's construction
                boots Quarkus, as Lambda's init phase does.
                *Ready* (init): from the fork to the function's first `GET /2018-06-01/runtime/invocation/next`.
                *First event answered*: its `POST .../response`, which includes the first invocation's own cold work
                (the REST client's first connection, the workspace's data attributes and tags read once, Jackson's
                first use of each type). RSS is `VmRSS` when the answer arrived; peak RSS is `VmHWM`. AWS's `java21`
                runtime still differs (its own JVM options, JDK 21 where this machine may have 17, a fraction of a
                core at 1,024 MB, and SnapStart, which restores a primed snapshot instead of booting): the figures
                compare the functions and the two clients, they are not a prediction of Lambda's *Init Duration*.

                Native figures come from the native workflow (`.github/workflows/native.yml`), which runs this
                benchmark with `-Dfunction.launcher=native` on the native `bootstrap`; this machine has neither
                GraalVM nor a container engine, so the native build cannot run here and its figures are not
                estimated.
                """.formatted(String.join(" ", FunctionProcess.LAMBDA_JVM_OPTIONS))
                + "\nLoad average (1 / 5 / 15 min) before: " + loadBefore + "; after: " + Machine.loadAverage()
                + ".\n";
        BenchReport.write(BenchReport.Section.START_UP, body, List.of());
    }

    /**
     * The JVM artifact under both runtime clients, or, with {@code -Dfunction.launcher=native} (a native
     * {@code function.zip}), its native bootstrap.
     */
    static List<FunctionProcess.Launcher> launchers() {
        if (System.getProperty("function.launcher") != null) {
            return List.of(FunctionProcess.Launcher.fromProperty("bootstrap"));
        }
        return List.of(FunctionProcess.Launcher.BOOTSTRAP, FunctionProcess.Launcher.RUNTIME_CLIENT);
    }

    private static Start coldStart(IntercomSandbox sandbox, FunctionProcess.Launcher launcher, Function function,
            int run) throws Exception {
        Map<String, String> environment = FunctionProcess.againstSandbox(sandbox, "startup-reports");
        try (LambdaRuntimeEmulator runtime = LambdaRuntimeEmulator.start();
                FunctionProcess process = FunctionProcess.start(launcher, "startup-" + function.handler() + "-"
                        + launcher.name().toLowerCase(java.util.Locale.ROOT) + "-" + run, function.handler(), runtime,
                        environment)) {
            var answer = runtime.invoke(function.firstEvent().get(), Duration.ofSeconds(60));
            LambdaRuntimeEmulator.Invocation invocation;
            try {
                invocation = answer.get(3, TimeUnit.MINUTES);
            } catch (Exception e) {
                throw new AssertionError(function.handler() + " (" + launcher.label + ") did not answer its first event: " + e
                        + "\n" + process.outputTail(), e);
            }
            long rss = process.residentKb().orElse(0);
            long peak = process.peakResidentKb().orElse(0);
            assertThat(invocation.error()).as(invocation.body()).isFalse();
            JsonNode response = BenchEvents.JSON.readTree(invocation.body());
            if (response.has("statusCode")) {
                assertThat(response.get("statusCode").asInt()).as(invocation.body()).isEqualTo(200);
            }
            return new Start(millis(runtime.firstPollNanos() - process.startedAtNanos()),
                    millis(invocation.answeredAtNanos() - process.startedAtNanos()),
                    invocation.duration().toNanos() / 1e6, rss, peak);
        }
    }

    private static String newLead() {
        ObjectNode body = BenchEvents.body(BenchEvents.LEAD_CAPTURE).put("email",
                "cold." + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
        ObjectNode event = BenchEvents.signed(BenchEvents.LEAD_CAPTURE, body);
        return BenchEvents.header(event, "idempotency-key", "cold-" + UUID.randomUUID()).toString();
    }

    private static String signUp() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        ObjectNode body = BenchEvents.body(BenchEvents.IDENTIFY).put("external_id", "cold-" + id)
                .put("email", "cold." + id + "@example.com");
        return BenchEvents.signed(BenchEvents.IDENTIFY, body).toString();
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    private static double median(java.util.stream.DoubleStream values) {
        double[] sorted = values.sorted().toArray();
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static String mb(double kb) {
        return String.format("%.0f MB", kb / 1024);
    }
}
