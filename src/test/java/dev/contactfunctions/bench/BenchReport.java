package dev.contactfunctions.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark report. Each benchmark class writes its section (and its lines of the summary) as files of the run's
 * work directory, which the pom empties before the benchmarks start; after each section the whole report is written
 * again from the sections present, so that it is complete after the last one whatever order the classes run in
 * (Quarkus tests run in their own class loader, so the sections cannot share memory).
 */
final class BenchReport {

    enum Section {
        API_CALLS("1. API calls per operation"),
        AUDIT_AT_SCALE("2. Audit at scale, at the rate limit"),
        HANDLER_OVERHEAD("3. Handler overhead, warm"),
        START_UP("4. Start-up");

        final String title;

        Section(String title) {
            this.title = title;
        }
    }

    /**
     * One line of the summary at the top: a figure with a target, what was measured, and the verdict: {@code yes},
     * {@code no}, or why the target does not apply.
     */
    record Target(String figure, String target, String measured, String verdict) {

        static Target of(String figure, String target, String measured, boolean met) {
            return new Target(figure, target, measured, met ? "yes" : "no");
        }
    }

    private static final String SEPARATOR = "\t";

    private BenchReport() {
    }

    /** Saves the section, prints it, and rewrites the report. */
    static void write(Section section, String body, List<Target> targets) {
        Path dir = BenchMode.workDir().resolve("sections");
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(section.ordinal() + ".md"), body);
            List<String> lines = targets.stream().map(t -> String.join(SEPARATOR, t.figure(), t.target(),
                    t.measured(), t.verdict())).toList();
            Files.write(dir.resolve(section.ordinal() + ".targets"), lines);
            System.out.println("\n## " + section.title + "\n\n" + body);
            BenchMode mode = BenchMode.current();
            Path report = mode.reportFile();
            if (report.getParent() != null) {
                Files.createDirectories(report.getParent());
            }
            Files.writeString(report, compose(dir, mode) + writtenByHand(report), StandardCharsets.UTF_8);
            System.out.println("(report written to " + report + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the measured part of the report ends; what follows is written by hand and kept by a new run. */
    static final String BY_HAND = "<!-- Written by hand from here on: a new run of the benchmarks keeps it. -->";

    /** The hand-written part of the existing report, from {@link #BY_HAND} on; empty when there is none. */
    static String writtenByHand(Path report) throws IOException {
        if (!Files.exists(report)) {
            return "";
        }
        String text = Files.readString(report, StandardCharsets.UTF_8);
        int at = text.indexOf(BY_HAND);
        return at < 0 ? "" : "\n" + text.substring(at);
    }

    private static String compose(Path dir, BenchMode mode) throws IOException {
        Machine machine = Machine.current();
        StringBuilder doc = new StringBuilder();
        doc.append("# Benchmarks\n\n");
        doc.append("Measured by `./mvnw -B verify -Dbench=").append(mode.wireName()).append("` on ")
                .append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
                .append(", against the Intercom sandbox (`src/sandbox/java`). Every figure comes from this run;")
                .append(" what a figure means and how it is taken is in the section \"How the figures are taken\" below.\n\n");
        doc.append(new Table("machine", "")
                .row("CPU", machine.cpu())
                .row("cores", machine.cores() + " (shared with other work during the run: see the load averages)")
                .row("memory", machine.memory())
                .row("JDK", machine.jdk())
                .row("OS", machine.os())
                .markdown());
        List<Target> targets = new ArrayList<>();
        for (Section section : Section.values()) {
            Path file = dir.resolve(section.ordinal() + ".targets");
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file)) {
                    String[] cells = line.split(SEPARATOR, -1);
                    targets.add(new Target(cells[0], cells[1], cells[2], cells[3]));
                }
            }
        }
        if (!targets.isEmpty()) {
            Table summary = new Table("figure", "target", "measured", "met");
            targets.forEach(t -> summary.row(t.figure(), t.target(), t.measured(),
                    t.verdict().equals("no") ? "**no**" : t.verdict()));
            doc.append("\n## Targets\n\n").append(summary.markdown());
        }
        for (Section section : Section.values()) {
            Path file = dir.resolve(section.ordinal() + ".md");
            doc.append("\n## ").append(section.title).append("\n\n");
            doc.append(Files.exists(file) ? Files.readString(file) : "Not measured in this run.\n");
        }
        return doc.toString();
    }
}
