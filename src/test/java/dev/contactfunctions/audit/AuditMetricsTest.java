package dev.contactfunctions.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.contactfunctions.testsupport.TestPseudonyms;

class AuditMetricsTest {

    @TempDir
    Path dir;

    @Test
    void publishesPerFindingCountsAsOneEmbeddedMetricFormatLine() throws Exception {
        List<String> stdout = new ArrayList<>();
        Clock clock = Clock.fixed(TestContacts.NOW, ZoneOffset.UTC);
        new SegmentAuditService(SegmentAuditServiceTest.plantedWorkspace(), new AuditArchive(new LocalReportStore(dir)),
                new AuditMetrics("IntercomContactFunctions", clock, stdout::add), clock, Duration.ofHours(1), TestPseudonyms.LOCAL)
                .run(SegmentAuditServiceTest.options(AuditMode.REPORT, false), Deadline.never());

        assertThat(stdout).hasSize(1);
        JsonNode line = AuditJson.MAPPER.readTree(stdout.get(0));
        JsonNode directive = line.at("/_aws/CloudWatchMetrics/0");
        assertThat(line.at("/_aws/Timestamp").asLong()).isEqualTo(TestContacts.NOW.toEpochMilli());
        assertThat(directive.get("Namespace").asText()).isEqualTo("IntercomContactFunctions");
        assertThat(directive.at("/Dimensions/0/0").asText()).isEqualTo("Function");
        assertThat(line.get("Function").asText()).isEqualTo("segment-audit");
        for (JsonNode metric : directive.get("Metrics")) {
            assertThat(metric.get("Unit").asText()).isEqualTo("Count");
            assertThat(line.has(metric.get("Name").asText())).as(metric.toString()).isTrue();
        }
        assertThat(line.get("UnmergedLeads").asLong()).isEqualTo(2);
        assertThat(line.get("UsersSharingEmail").asLong()).isEqualTo(1);
        assertThat(line.get("MissingAttributes").asLong()).isEqualTo(1);
        assertThat(line.get("InvalidEmails").asLong()).isEqualTo(1);
        assertThat(line.get("InactiveLeads").asLong()).isEqualTo(1);
        assertThat(line.get("TagDriftMissing").asLong()).isEqualTo(1);
        assertThat(line.get("TagDriftExtra").asLong()).isEqualTo(1);
        assertThat(line.get("PartialRuns").asLong()).isZero();
        assertThat(stdout.get(0)).doesNotContain("@");
    }

    @Test
    void theLogSummaryIsOneKeyValueLineWithoutAddresses() {
        AuditSummary summary = new AuditSummary("r1", "partial", "contacts", "deadline", true, 2, 40, 3, 150,
                new AuditSummary.FindingCounts(1, 2, 3, 4, 5, 6, 7), new AuditSummary.FixCounts("off", 0, 0, 0, 0, 0, 0),
                new AuditArchive.Locations("s3://b/runs/r1/audit-report.json", "m", "h"));

        assertThat(AuditMetrics.logLine(summary).message()).isEqualTo("segment_audit_summary run=r1 status=partial phase=contacts"
                + " stop_reason=deadline invocations=2 api_calls=40 segments=3 contacts=150 unmerged_leads=1"
                + " users_sharing_email=2 missing_attributes=3 invalid_emails=4 inactive_leads=5 tag_drift_missing=6"
                + " tag_drift_extra=7 fix_mode=off fixes_planned=0 fixes_done=0 fixes_skipped=0 fixes_failed=0 fixes_interrupted=0"
                + " report=s3://b/runs/r1/audit-report.json");
    }
}
