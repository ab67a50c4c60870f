package dev.contactfunctions.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.contactfunctions.testsupport.TestLambdaContext;

/**
 * One function running as its own process from the packaged application, its handler picked with
 * {@code QUARKUS_LAMBDA_HANDLER}, fed from a {@link LambdaRuntimeEmulator} by one of the {@link Launcher}s. It starts
 * with an empty environment plus what the function needs, writes its output (and a JVM's GC log) to the benchmark's
 * work directory, and is stopped (by its own pid, through {@link Process}) when closed.
 */
final class FunctionProcess implements AutoCloseable {

    /** The JVM options of template.yaml's JVM variant, and the 256 MB heap cap of the targets. */
    static final List<String> LAMBDA_JVM_OPTIONS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-Xms16m", "-Xmx256m");

    /** The handler the JVM variant of template.yaml names (the managed runtime's {@code _HANDLER}). */
    static final String JVM_HANDLER = LambdaJvmBootstrap.HANDLER + "::handleRequest";

    /** How the function is started. */
    enum Launcher {
        /**
         * {@link LambdaJvmBootstrap} beside the {@code -runner.jar} and its {@code lib/}, on the application class
         * path.
         */
        BOOTSTRAP("bootstrap"),
        /**
         * AWS's Java runtime interface client ({@code aws-lambda-java-runtime-interface-client}), as the managed
         * {@code java21} runtime starts it: working directory = the unpacked {@code function.zip}, the client alone on
         * the class path, the function loaded by the client's own class loader from that directory and its
         * {@code lib/}.
         */
        RUNTIME_CLIENT("runtime client"),
        /** The native executable {@code bootstrap} of a native {@code function.zip}, as {@code provided.al2023} runs it. */
        NATIVE("native bootstrap");

        final String label;

        Launcher(String label) {
            this.label = label;
        }

        /** The launcher the property {@code function.launcher} names (bootstrap, runtime-client, native). */
        static Launcher fromProperty(String defaultValue) {
            String value = System.getProperty("function.launcher", defaultValue).trim().toUpperCase(java.util.Locale.ROOT)
                    .replace('-', '_');
            return Launcher.valueOf(value);
        }
    }

    private static final Pattern GC_PAUSE = Pattern.compile("GC\\(\\d+\\) Pause .*? (\\d+)([KMG])->(\\d+)([KMG])\\(");
    private static final Pattern GENERATION_USED = Pattern.compile("generation\\s+total \\d+K, used (\\d+)K");

    private final Process process;
    private final long startedAtNanos;
    private final Path gcLog;
    private final Path output;

    private FunctionProcess(Process process, long startedAtNanos, Path gcLog, Path output) {
        this.process = process;
        this.startedAtNanos = startedAtNanos;
        this.gcLog = gcLog;
        this.output = output;
    }

    /**
     * Starts the function.
     *
     * @param label names its log files in the work directory
     * @param environment the function's configuration on top of the runtime API address and the handler name
     */
    static FunctionProcess start(String label, String handler, LambdaRuntimeEmulator runtime,
            Map<String, String> environment) {
        return start(Launcher.BOOTSTRAP, label, handler, runtime, environment);
    }

    static FunctionProcess start(Launcher launcher, String label, String handler, LambdaRuntimeEmulator runtime,
            Map<String, String> environment) {
        Path dir = BenchMode.workDir().toAbsolutePath();
        Path gcLog = dir.resolve(label + "-gc.log");
        Path output = dir.resolve(label + ".log");
        List<String> command = new ArrayList<>();
        Path workingDirectory = Path.of("").toAbsolutePath();
        if (launcher == Launcher.NATIVE) {
            workingDirectory = FunctionZip.unpacked();
            command.add(workingDirectory.resolve("bootstrap").toString());
        } else {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(LAMBDA_JVM_OPTIONS);
            command.add("-Xlog:gc,gc+heap+exit:file=" + gcLog);
            command.add("-cp");
            if (launcher == Launcher.BOOTSTRAP) {
                command.add(BenchMode.runnerJar().toAbsolutePath() + File.pathSeparator + bootstrapClasses());
                command.add(LambdaJvmBootstrap.class.getName());
            } else {
                workingDirectory = FunctionZip.unpacked();
                command.add(RuntimeInterfaceClient.classPath());
                command.add(RuntimeInterfaceClient.MAIN);
                command.add(JVM_HANDLER);
            }
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("LANG", "C.UTF-8");
        env.put("TZ", "UTC");
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_LAMBDA_FUNCTION_NAME", label);
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
        env.put("AWS_LAMBDA_RUNTIME_API", runtime.address());
        if (launcher != Launcher.BOOTSTRAP) {
            env.put("LAMBDA_TASK_ROOT", workingDirectory.toString());
            env.put("_HANDLER", launcher == Launcher.NATIVE ? "not.used.in.provided.runtime" : JVM_HANDLER);
        }
        env.put("QUARKUS_LAMBDA_HANDLER", handler);
        env.putAll(environment);
        try {
            Files.createDirectories(dir);
            long started = System.nanoTime();
            return new FunctionProcess(builder.start(), started, gcLog, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The configuration of a function run against the sandbox: its URL and token, the webhook secrets of the committed
     * events, and audit reports written under {@code reportDir} in the work directory.
     */
    static Map<String, String> againstSandbox(dev.contactfunctions.sandbox.IntercomSandbox sandbox, String reportDir) {
        return againstSandbox(SandboxControl.of(sandbox), reportDir);
    }

    static Map<String, String> againstSandbox(SandboxControl sandbox, String reportDir) {
        return Map.ofEntries(
                Map.entry("INTERCOM_BASE_URL", sandbox.baseUrl()),
                Map.entry("INTERCOM_ACCESS_TOKEN", sandbox.accessToken()),
                Map.entry("WEBHOOK_SIGNING_SECRET", BenchEvents.SIGNING_SECRET),
                Map.entry("IDENTIFY_SIGNING_SECRET", BenchEvents.IDENTIFY_SIGNING_SECRET),
                Map.entry("INTERCOM_CLIENT_SECRET", BenchEvents.CLIENT_SECRET),
                // the form tools' own keys, as the committed form-tool events are signed
                Map.entry("TYPEFORM_SIGNING_SECRET", BenchEvents.SIGNING_SECRET),
                Map.entry("TALLY_SIGNING_SECRET", BenchEvents.SIGNING_SECRET),
                Map.entry("WEBFLOW_SIGNING_SECRET", BenchEvents.SIGNING_SECRET),
                Map.entry("PRIVACY_HASH_KEY", "bench-privacy-hash-key"),
                Map.entry("LEAD_CAPTURE_ALLOWED_ATTRIBUTES", testSetting("lead-capture.allowed-attributes")),
                Map.entry("LEAD_CAPTURE_ALLOWED_TAGS", testSetting("lead-capture.allowed-tags")),
                Map.entry("AUDIT_REPORT_DIR", BenchMode.workDir().toAbsolutePath().resolve(reportDir).toString()));
    }

    /**
     * A setting of the tests' own configuration ({@code %test.} in the tests' {@code application.properties}): the
     * forms' allow-lists there name what the sample events write, as a deployment that configured its forms would.
     */
    private static String testSetting(String name) {
        String value = TestSettings.PROPERTIES.getProperty("%test." + name);
        if (value == null) {
            throw new IllegalStateException("%test." + name + " is not in the tests' application.properties");
        }
        return value;
    }

    /** The tests' {@code application.properties}, read once. */
    private static final class TestSettings {
        static final Properties PROPERTIES = load();

        private static Properties load() {
            Properties properties = new Properties();
            try (InputStream in = FunctionProcess.class.getResourceAsStream("/application.properties")) {
                if (in == null) {
                    throw new IllegalStateException("no application.properties on the tests' class path");
                }
                properties.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("the tests' application.properties cannot be read", e);
            }
            return properties;
        }
    }

    /**
     * A directory holding only {@link LambdaJvmBootstrap}'s classes and its context's, copied out of the test classes:
     * the function runs with the packaged application and these, not with the tests and the sandbox on its class path.
     */
    private static synchronized Path bootstrapClasses() {
        Path dir = BenchMode.workDir().toAbsolutePath().resolve("bootstrap");
        try {
            for (Class<?> type : List.of(LambdaJvmBootstrap.class, TestLambdaContext.class)) {
                String packagePath = type.getPackageName().replace('.', '/');
                Path target = dir.resolve(packagePath);
                Files.createDirectories(target);
                Path source = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI())
                        .resolve(packagePath);
                try (var classes = Files.list(source)) {
                    for (Path file : classes.filter(f -> f.getFileName().toString().startsWith(
                            type.getSimpleName())).toList()) {
                        Files.copy(file, target.resolve(file.getFileName().toString()),
                                StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            return dir;
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot copy the bootstrap classes", e);
        }
    }

    /** When the process was started (System.nanoTime, just before the fork). */
    long startedAtNanos() {
        return startedAtNanos;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Resident memory now ({@code VmRSS}), in kB. */
    OptionalLong residentKb() {
        return status("VmRSS:");
    }

    /** The most resident memory so far ({@code VmHWM}), in kB. */
    /**
     * The CPU time the function's JVM has used so far, all its threads (the JIT compiler's and the collector's too):
     * what {@code OperatingSystemMXBean.getProcessCpuTime()} answers inside it, read from outside.
     */
    Duration cpuTime() {
        return process.toHandle().info().totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("this system does not tell a process's CPU time"));
    }

    OptionalLong peakResidentKb() {
        return status("VmHWM:");
    }

    private OptionalLong status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith(field)) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("\\D", "")));
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
        return OptionalLong.empty();
    }

    /** The last lines of the function's output, for a failure message. */
    String outputTail() {
        try {
            List<String> lines = Files.readAllLines(output);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** Stops the process (SIGTERM, then SIGKILL after 10 s) and waits for it. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The heap the process used, from its GC log (read after {@link #close()}): the most occupied before any
     * collection, or at exit if more; and the most still live after a collection.
     */
    HeapUse heapUse() {
        long peakBytes = 0;
        long liveBytes = 0;
        int collections = 0;
        long exitBytes = 0;
        try {
            for (String line : Files.readAllLines(gcLog)) {
                Matcher pause = GC_PAUSE.matcher(line);
                if (pause.find()) {
                    collections++;
                    peakBytes = Math.max(peakBytes, bytes(pause.group(1), pause.group(2)));
                    liveBytes = Math.max(liveBytes, bytes(pause.group(3), pause.group(4)));
                }
                Matcher used = GENERATION_USED.matcher(line);
                if (used.find()) {
                    exitBytes += Long.parseLong(used.group(1)) * 1024;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new HeapUse(Math.max(peakBytes, exitBytes), liveBytes, collections);
    }

    /** Heap figures in bytes. */
    record HeapUse(long peakBytes, long maxLiveBytes, int collections) {
        String peakMb() {
            return String.format("%.0f MB", peakBytes / 1024.0 / 1024.0);
        }

        String liveMb() {
            return String.format("%.0f MB", maxLiveBytes / 1024.0 / 1024.0);
        }
    }

    private static long bytes(String amount, String unit) {
        long value = Long.parseLong(amount);
        return switch (unit) {
            case "K" -> value * 1024;
            case "M" -> value * 1024 * 1024;
            default -> value * 1024 * 1024 * 1024;
        };
    }
}
