package dev.contactfunctions.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.SandboxOptions;

/**
 * The Intercom sandbox in a JVM of its own, started by the benchmark with the test class path and {@link #main}: so
 * that what is measured of the function's JVM (its CPU time above all) is the function's alone. The sandbox seeds a
 * {@link BenchWorkspace} of the given shape, answers with the given latency and rate limit, then takes one command a
 * line on its standard input ({@code reset}, {@code counts}, {@code latency <ms>}, {@code rate-limit <calls>}) and
 * stops at the end of that input.
 */
final class SandboxProcess implements SandboxControl, AutoCloseable {

    private static final String READY = "sandbox-ready ";
    private static final String COUNTS = "counts ";

    private final Process process;
    private final BufferedReader answers;
    private final Writer commands;
    private final String baseUrl;
    private final String accessToken;
    private final long contacts;

    private SandboxProcess(Process process) throws IOException {
        this.process = process;
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.commands = process.outputWriter(StandardCharsets.UTF_8);
        String[] ready = awaitLine(READY).split(" ");
        this.baseUrl = ready[0];
        this.accessToken = ready[1];
        this.contacts = Long.parseLong(ready[2]);
    }

    /** Starts the sandbox process and waits until its workspace is seeded. */
    static SandboxProcess start(BenchWorkspace.Shape shape, long seed, int rateLimit, Duration latency, String heap)
            throws IOException {
        return start(shape, seed, rateLimit, latency, Duration.ZERO, heap);
    }

    /** The same with a search lag: what a write changes is searchable only that long after it. */
    static SandboxProcess start(BenchWorkspace.Shape shape, long seed, int rateLimit, Duration latency,
            Duration searchLag, String heap) throws IOException {
        Path log = Files.createDirectories(BenchMode.workDir().toAbsolutePath()).resolve("sandbox-process.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-cp", System.getProperty("java.class.path"), SandboxProcess.class.getName(),
                Integer.toString(shape.contacts()), Integer.toString(shape.segments()), Long.toString(seed),
                Integer.toString(rateLimit), Long.toString(latency.toMillis()), Long.toString(searchLag.toMillis())));
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        return new SandboxProcess(process);
    }

    long contacts() {
        return contacts;
    }

    @Override
    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public String accessToken() {
        return accessToken;
    }

    @Override
    public synchronized void resetStats() {
        send("reset");
        awaitLine("reset");
    }

    @Override
    public synchronized Counts counts() {
        send("counts");
        String[] n = awaitLine(COUNTS).split(" ");
        return new Counts(Long.parseLong(n[0]), Long.parseLong(n[1]), Long.parseLong(n[2]),
                Duration.ofNanos(Long.parseLong(n[3])));
    }

    /** The latency the sandbox adds to every call from now on. */
    synchronized void setLatency(Duration latency) {
        send("latency " + latency.toMillis());
        awaitLine("latency");
    }

    /** The calls allowed per 10-second window from now on. */
    synchronized void setRateLimit(int perWindow) {
        send("rate-limit " + perWindow);
        awaitLine("rate-limit");
    }

    private void send(String line) {
        try {
            commands.write(line + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new IllegalStateException("the sandbox process is gone", e);
        }
    }

    /** The rest of the first line that starts with {@code prefix}. */
    private String awaitLine(String prefix) {
        try {
            for (String line = answers.readLine(); line != null; line = answers.readLine()) {
                if (line.startsWith(prefix)) {
                    return line.substring(prefix.length());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("the sandbox process is gone", e);
        }
        throw new IllegalStateException("the sandbox process ended; see sandbox-process.log in the work directory");
    }

    @Override
    public void close() throws InterruptedException {
        try {
            commands.close();
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** {@code contacts segments seed rateLimit latencyMillis searchLagMillis}: see the class comment. */
    public static void main(String[] args) throws IOException {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        BenchWorkspace.Shape shape = new BenchWorkspace.Shape(Integer.parseInt(args[0]), Integer.parseInt(args[1]));
        try (IntercomSandbox sandbox = IntercomSandbox.start(SandboxOptions.builder()
                .rateLimit(Integer.parseInt(args[3])).searchLag(Duration.ofMillis(Long.parseLong(args[5]))).build())) {
            BenchWorkspace.seed(sandbox, shape, Long.parseLong(args[2]));
            sandbox.setLatency(Duration.ofMillis(Long.parseLong(args[4])));
            out.println(READY + sandbox.baseUrl() + " " + sandbox.accessToken() + " " + sandbox.contacts().size());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] command = line.strip().split(" ");
                switch (command[0]) {
                    case "latency" -> {
                        sandbox.setLatency(Duration.ofMillis(Long.parseLong(command[1])));
                        out.println("latency");
                    }
                    case "rate-limit" -> {
                        sandbox.setRateLimit(Integer.parseInt(command[1]));
                        out.println("rate-limit");
                    }
                    case "reset" -> {
                        sandbox.stats().reset();
                        out.println("reset");
                    }
                    case "counts" -> out.println(COUNTS + sandbox.stats().total() + " "
                            + sandbox.stats().totalWithStatus(429) + " " + sandbox.stats().totalWithStatus(200) + " "
                            + sandbox.stats().serviceTime().toNanos());
                    default -> out.println("unknown " + line);
                }
            }
        }
    }
}
