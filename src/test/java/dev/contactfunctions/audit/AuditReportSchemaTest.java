package dev.contactfunctions.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.ValidationMessage;

import dev.contactfunctions.testsupport.TestPseudonyms;

/** Every kind of report the audit writes validates against docs/audit-report.schema.json; broken ones do not. */
class AuditReportSchemaTest {

    @TempDir
    Path dir;

    static Set<ValidationMessage> validate(JsonNode report) {
        return AuditReportSchema.validate(report);
    }

    static JsonNode stored(Path store, String runId) throws IOException {
        return AuditJson.MAPPER.readTree(store.resolve("runs/" + runId + "/" + AuditArchive.JSON).toFile());
    }

    List<JsonNode> reportsOfEveryKind() throws IOException {
        List<JsonNode> reports = new ArrayList<>();
        Clock clock = Clock.fixed(TestContacts.NOW, ZoneOffset.UTC);
        int n = 0;
        for (AuditOptions options : List.of(SegmentAuditServiceTest.options(AuditMode.REPORT, false),
                SegmentAuditServiceTest.options(AuditMode.FIX, true), SegmentAuditServiceTest.options(AuditMode.FIX, false))) {
            for (Deadline deadline : List.of(SegmentAuditServiceTest.afterSteps(1), Deadline.never())) {
                Path store = dir.resolve("store-" + n++);
                SegmentAuditService service = new SegmentAuditService(SegmentAuditServiceTest.plantedWorkspace(),
                        new AuditArchive(new LocalReportStore(store)), new AuditMetrics("Test", clock, line -> { }), clock,
                        Duration.ofHours(12), TestPseudonyms.LOCAL);
                AuditSummary summary = service.run(options, deadline);
                reports.add(stored(store, summary.runId()));
            }
        }
        Path empty = dir.resolve("empty");
        AuditSummary none = new SegmentAuditService(new InMemoryWorkspace(), new AuditArchive(new LocalReportStore(empty)),
                new AuditMetrics("Test", clock, line -> { }), clock, Duration.ofHours(12), TestPseudonyms.LOCAL)
                .run(AuditOptions.from(AuditOptionsTest.config(java.util.Map.of())), Deadline.never());
        reports.add(stored(empty, none.runId()));
        FixModeFaults.Outcome interrupted = FixModeFaults.run(FixModeFaults.Fault.IDENTITY_BUSY, dir.resolve("interrupted"));
        reports.add(AuditJson.MAPPER.readTree(interrupted.partialReportJson()));
        return reports;
    }

    @Test
    void everyKindOfReportValidates() throws IOException {
        List<JsonNode> reports = reportsOfEveryKind();

        assertThat(reports).extracting(r -> r.at("/run/status").asText() + "/" + r.at("/fixes/mode").asText())
                .contains("partial/off", "complete/off", "complete/dry-run", "complete/apply", "partial/apply");
        assertThat(reports).anySatisfy(r -> assertThat(r.at("/fixes/changes/1/status").asText())
                .isEqualTo(AuditReport.INTERRUPTED));
        for (JsonNode report : reports) {
            assertThat(validate(report)).as(report.at("/run/status") + " " + report.at("/fixes/mode")).isEmpty();
        }
    }

    @Test
    void aReportMissingAFieldOrWithAnUnknownOneDoesNotValidate() throws IOException {
        JsonNode report = reportsOfEveryKind().get(1);

        ObjectNode missing = report.deepCopy();
        ((ObjectNode) missing.get("findings")).remove("tagDrift");
        assertThat(validate(missing)).extracting(ValidationMessage::getMessage)
                .anySatisfy(m -> assertThat(m).contains("tagDrift"));

        ObjectNode extra = report.deepCopy();
        ((ObjectNode) extra.at("/findings/unmergedLeads/items/0")).put("email", "alice@example.com");
        assertThat(validate(extra)).isNotEmpty();

        ObjectNode wrongStatus = report.deepCopy();
        ((ObjectNode) wrongStatus.get("run")).put("status", "finished");
        assertThat(validate(wrongStatus)).isNotEmpty();
    }
}
