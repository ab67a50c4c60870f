package dev.contactfunctions.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Ends a test run with one line saying what the OpenAPI contract checks did ({@link OpenApiContract#summary}).
 * Registered with the JUnit Platform in META-INF/services. A JVM of the unit tests' run (surefire) that checked (or
 * had to skip) Intercom requests prints its line and keeps its counts in a file of its own in the folder named by
 * {@value #KEEP_PROPERTY}; the packaging checks' run (failsafe), the build's last, adds up the kept counts of every
 * JVM of the run from the folder named by {@value #REPEAT_PROPERTY} and prints the run's line, so that it is among the
 * build's last lines. A JVM whose tests sent Intercom nothing to check says nothing (surefire ends each class it hands
 * a JVM as a run of its own, so a JVM's line is printed again only when its counts have changed).
 */
public class OpenApiContractSummary implements TestExecutionListener {

    static final String KEEP_PROPERTY = "openapi-contract.keep";
    static final String REPEAT_PROPERTY = "openapi-contract.repeat";
    /** This JVM's counts when it last printed its line (a JDK object, which every class loader of the JVM sees). */
    private static final String REPORTED_KEY = "dev.contactfunctions.openapi-contract.reported";

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        try {
            String repeat = System.getProperty(REPEAT_PROPERTY);
            if (repeat != null) {
                repeatTheRunsLine(Path.of(repeat));
                return;
            }
            long[] counts = OpenApiContract.countsSoFar();
            long[] reported = (long[]) System.getProperties().getOrDefault(REPORTED_KEY, new long[counts.length]);
            if (Arrays.equals(counts, reported)) {
                return;
            }
            System.getProperties().put(REPORTED_KEY, counts);
            // on a line of its own, whatever a test left unterminated on standard output
            System.out.println(System.lineSeparator() + OpenApiContract.summary(counts));
            String keep = System.getProperty(KEEP_PROPERTY);
            if (keep != null) {
                keepCounts(Path.of(keep), counts);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes this JVM's counts to a file of its own, after removing the files of JVMs of earlier runs. */
    private static void keepCounts(Path folder, long[] counts) throws IOException {
        Files.createDirectories(folder);
        FileTime started = FileTime.from(ProcessHandle.current().info().startInstant().orElse(Instant.EPOCH));
        for (Path kept : kept(folder)) {
            if (Files.getLastModifiedTime(kept).compareTo(started) < 0) {
                Files.deleteIfExists(kept);
            }
        }
        Files.writeString(folder.resolve(ProcessHandle.current().pid() + ".counts"),
                String.join(" ", Arrays.stream(counts).mapToObj(Long::toString).toList()));
    }

    /** Prints the line of the counts the run's JVMs kept, all added up, and removes them; nothing when none kept any. */
    private static void repeatTheRunsLine(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        List<Path> kept = kept(folder);
        if (kept.isEmpty()) {
            return;
        }
        long[] total = new long[OpenApiContract.countsSoFar().length];
        for (Path file : kept) {
            String[] counts = Files.readString(file).trim().split(" ");
            for (int i = 0; i < total.length; i++) {
                total[i] += Long.parseLong(counts[i]);
            }
            Files.delete(file);
        }
        System.out.println(System.lineSeparator() + OpenApiContract.summary(total));
    }

    private static List<Path> kept(Path folder) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.counts")) {
            List<Path> kept = new ArrayList<>();
            files.forEach(kept::add);
            return kept;
        }
    }
}
