package dev.contactfunctions.audit;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.contactfunctions.invocation.LogLine;

/**
 * Publishes a run's outcome: one structured log line ({@link LogLine}, no email, no token) and the per-finding counts as
 * CloudWatch metrics in Embedded Metric Format, a JSON line on stdout that CloudWatch Logs turns into metrics without
 * an SDK call (namespace {@code audit.metrics-namespace}, dimension {@code Function=segment-audit}).
 */
@ApplicationScoped
class AuditMetrics {

    static final String FUNCTION = "segment-audit";
    private static final Logger LOG = Logger.getLogger(AuditMetrics.class);

    private final String namespace;
    private final Clock clock;
    private final Consumer<String> stdout;

    @Inject
    AuditMetrics(AuditConfig config, Clock clock) {
        this(config.metricsNamespace(), clock, System.out::println);
    }

    AuditMetrics(String namespace, Clock clock, Consumer<String> stdout) {
        this.namespace = namespace;
        this.clock = clock;
        this.stdout = stdout;
    }

    void publish(AuditReport report, AuditArchive.Locations locations) {
        AuditSummary summary = AuditSummary.of(report, locations);
        logLine(summary).info(LOG);
        stdout.accept(emf(summary));
    }

    static LogLine logLine(AuditSummary s) {
        AuditSummary.FindingCounts f = s.findings();
        return LogLine.of("segment_audit_summary").put("run", s.runId()).put("status", s.status())
                .put("phase", s.phase()).put("stop_reason", s.stopReason()).put("invocations", s.invocations())
                .put("api_calls", s.apiCalls()).put("segments", s.segmentsAudited()).put("contacts", s.contactsScanned())
                .put("unmerged_leads", f.unmergedLeads()).put("users_sharing_email", f.usersSharingEmail())
                .put("missing_attributes", f.missingAttributes()).put("invalid_emails", f.invalidEmails())
                .put("inactive_leads", f.inactiveLeads()).put("tag_drift_missing", f.tagDriftMissing())
                .put("tag_drift_extra", f.tagDriftExtra()).put("fix_mode", s.fixes().mode())
                .put("fixes_planned", s.fixes().planned()).put("fixes_done", s.fixes().done())
                .put("fixes_skipped", s.fixes().skipped()).put("fixes_failed", s.fixes().failed())
                .put("fixes_interrupted", s.fixes().interrupted()).put("report", s.report().json());
    }

    String emf(AuditSummary s) {
        Map<String, Number> metrics = new LinkedHashMap<>();
        AuditSummary.FindingCounts f = s.findings();
        metrics.put("UnmergedLeads", f.unmergedLeads());
        metrics.put("UsersSharingEmail", f.usersSharingEmail());
        metrics.put("MissingAttributes", f.missingAttributes());
        metrics.put("InvalidEmails", f.invalidEmails());
        metrics.put("InactiveLeads", f.inactiveLeads());
        metrics.put("TagDriftMissing", f.tagDriftMissing());
        metrics.put("TagDriftExtra", f.tagDriftExtra());
        metrics.put("SegmentsAudited", s.segmentsAudited());
        metrics.put("ContactsScanned", s.contactsScanned());
        metrics.put("ApiCalls", s.apiCalls());
        metrics.put("FixesDone", s.fixes().done());
        metrics.put("FixesSkipped", s.fixes().skipped());
        metrics.put("FixesFailed", s.fixes().failed());
        metrics.put("FixesInterrupted", s.fixes().interrupted());
        metrics.put("PartialRuns", s.resumeNeeded() ? 1 : 0);

        Map<String, Object> line = new LinkedHashMap<>();
        line.put("_aws", Map.of("Timestamp", clock.millis(), "CloudWatchMetrics", List.of(Map.of(
                "Namespace", namespace,
                "Dimensions", List.of(List.of("Function")),
                "Metrics", metrics.keySet().stream().map(name -> Map.of("Name", name, "Unit", "Count")).toList()))));
        line.put("Function", FUNCTION);
        line.putAll(metrics);
        line.put("runId", s.runId());
        line.put("status", s.status());
        try {
            return AuditJson.WRITER.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
