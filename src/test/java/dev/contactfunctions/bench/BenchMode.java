package dev.contactfunctions.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * How much a benchmark run measures: {@code -Dbench=quick} (a smoke run of every figure, about a minute of
 * measuring, written to {@code target/benchmarks/benchmarks.md}) or {@code -Dbench=full} (the published figures,
 * written to {@code docs/benchmarks.md}). The pom passes the choice on as the system property {@code bench.mode}.
 */
enum BenchMode {

    QUICK(100, 300, 20, 60, 2_000, 10, 10_000, 20, 1, 100, 1),
    FULL(500, 2_000, 50, 300, 10_000, 20, 100_000, 50, 2, 250, 5);

    /** Warm-up and measured invocations per webhook scenario (handler overhead). */
    final int warmUp;
    final int iterations;
    /** Warm-up and measured invocations of the audit of a small workspace (handler overhead). */
    final int auditWarmUp;
    final int auditIterations;
    /** The audit compared with the naive one (API calls): contacts and segments. */
    final int auditContacts;
    final int auditSegments;
    /** The audit at scale: contacts, segments, runs at Intercom's limit, the scaled-down limit per window. */
    final int scaleContacts;
    final int scaleSegments;
    final int auditRunsAtIntercomLimit;
    final int scaledLimit;
    /** Cold starts per function. */
    final int startsPerFunction;

    BenchMode(int warmUp, int iterations, int auditWarmUp, int auditIterations, int auditContacts, int auditSegments,
            int scaleContacts, int scaleSegments, int auditRunsAtIntercomLimit, int scaledLimit,
            int startsPerFunction) {
        this.warmUp = warmUp;
        this.iterations = iterations;
        this.auditWarmUp = auditWarmUp;
        this.auditIterations = auditIterations;
        this.auditContacts = auditContacts;
        this.auditSegments = auditSegments;
        this.scaleContacts = scaleContacts;
        this.scaleSegments = scaleSegments;
        this.auditRunsAtIntercomLimit = auditRunsAtIntercomLimit;
        this.scaledLimit = scaledLimit;
        this.startsPerFunction = startsPerFunction;
    }

    static BenchMode current() {
        String mode = System.getProperty("bench.mode", "quick").trim().toLowerCase(Locale.ROOT);
        return switch (mode) {
            case "full" -> FULL;
            case "quick", "" -> QUICK;
            default -> throw new IllegalArgumentException("-Dbench is quick or full, not " + mode);
        };
    }

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Where this run keeps its sections, logs and the quick report. */
    static Path workDir() {
        return Path.of(System.getProperty("bench.dir", "target/benchmarks"));
    }

    /** The report this mode writes: the committed one for a full run, a scratch one for a quick run. */
    Path reportFile() {
        return this == FULL ? Path.of("docs", "benchmarks.md") : workDir().resolve("benchmarks.md");
    }

    /**
     * The packaged application's runner jar (the Lambda extension packages a {@code -runner.jar} beside
     * {@code lib/}, which {@code target/function.zip} holds), as {@code target/quarkus-artifact.properties} names it.
     */
    static Path runnerJar() {
        Path target = Path.of(System.getProperty("bench.target", "target"));
        Path artifact = target.resolve("quarkus-artifact.properties");
        Properties properties = new Properties();
        try (var in = Files.newInputStream(artifact)) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalStateException(artifact + " is missing: the benchmarks that fork the functions run after"
                    + " ./mvnw package (run them with ./mvnw verify -Dbench=quick|full)", e);
        }
        return target.resolve(properties.getProperty("path"));
    }
}
