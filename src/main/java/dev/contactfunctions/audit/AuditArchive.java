package dev.contactfunctions.audit;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The audit's files in the {@link ReportStore}: each run's report (JSON, Markdown, HTML) under {@code runs/<run id>/},
 * the last complete one also under {@code latest/} (the previous report of the next run), and the checkpoint of an
 * unfinished run under {@code checkpoint/}.
 */
@ApplicationScoped
class AuditArchive {

    static final String CHECKPOINT = "checkpoint/audit-checkpoint.json";
    static final String LATEST = "latest/";
    static final String RUNS = "runs/";
    static final String JSON = "audit-report.json";
    static final String MARKDOWN = "audit-report.md";
    static final String HTML = "audit-report.html";

    private static final Logger LOG = Logger.getLogger(AuditArchive.class);

    private final ReportStore store;

    AuditArchive(ReportStore store) {
        this.store = store;
    }

    /** The last complete report; an unreadable one is logged and ignored (the change figures are then absent). */
    Optional<AuditReport> latestReport() {
        return store.read(LATEST + JSON).flatMap(json -> {
            try {
                return Optional.of(AuditJson.MAPPER.readValue(json, AuditReport.class));
            } catch (JsonProcessingException e) {
                LOG.warnf("segment-audit: ignoring unreadable previous report %s%s: %s", LATEST, JSON,
                        e.getOriginalMessage());
                return Optional.empty();
            }
        });
    }

    Optional<AuditCheckpoint> checkpoint() {
        return store.read(CHECKPOINT).flatMap(json -> {
            try {
                return Optional.of(AuditJson.MAPPER.readValue(json, AuditCheckpoint.class));
            } catch (JsonProcessingException | RuntimeException e) {
                LOG.warnf("segment-audit: ignoring unreadable checkpoint %s: %s", CHECKPOINT, e.getMessage());
                return Optional.empty();
            }
        });
    }

    void saveCheckpoint(AuditRun run) {
        store.write(CHECKPOINT, json(AuditCheckpoint.of(run)), "application/json");
    }

    void deleteCheckpoint() {
        store.delete(CHECKPOINT);
    }

    /** Writes the report in its three forms to the run's folder and, when complete, to {@code latest/}. */
    Locations save(AuditReport report) {
        String json = json(report);
        String markdown = MarkdownReport.render(report);
        String html = HtmlReport.render(report);
        String folder = RUNS + report.run().id() + "/";
        Locations locations = new Locations(store.write(folder + JSON, json, "application/json"),
                store.write(folder + MARKDOWN, markdown, "text/markdown; charset=utf-8"),
                store.write(folder + HTML, html, "text/html; charset=utf-8"));
        if (report.complete()) {
            store.write(LATEST + MARKDOWN, markdown, "text/markdown; charset=utf-8");
            store.write(LATEST + HTML, html, "text/html; charset=utf-8");
            store.write(LATEST + JSON, json, "application/json");
        }
        return locations;
    }

    String location() {
        return store.location();
    }

    private static String json(Object value) {
        try {
            return AuditJson.WRITER.withDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
        }
    }

    /** Where the report's three forms were written. */
    @RegisterForReflection
    public record Locations(String json, String markdown, String html) {
    }
}
