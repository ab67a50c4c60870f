package dev.contactfunctions.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.sandbox.Endpoint;
import dev.contactfunctions.sandbox.IntercomSandbox;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * The handler as Lambda runs it: the committed EventBridge Scheduler event posted to the mock event server, Jackson
 * reading it into a {@code ScheduledEvent}, the audit running against the sandbox, the summary as the answer and the
 * reports in {@code audit.report-dir}.
 */
@QuarkusTest
@TestProfile(SegmentAuditProfile.class)
@WithTestResource(AuditSandbox.class)
class SegmentAuditHandlerTest {

    static final Path EVENT = Path.of("infra/events/segment-audit.json");

    @InjectAuditSandbox
    AuditSandbox sandboxes;

    IntercomSandbox sandbox;

    @BeforeEach
    void plantedWorkspaceAndNoEarlierReport() throws IOException {
        sandbox = sandboxes.fresh();
        CircuitBreakerMaintenance.get().resetAll();
        AuditSeeds.seed(sandbox, AuditSeeds.PLANTED);
        sandbox.stats().reset();
        if (Files.exists(AuditSandbox.REPORT_DIR)) {
            try (Stream<Path> files = Files.walk(AuditSandbox.REPORT_DIR)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static ObjectNode event() throws IOException {
        return (ObjectNode) AuditJson.MAPPER.readTree(EVENT.toFile());
    }

    static Response post(JsonNode event) {
        return given().contentType("application/json").accept("application/json").body(event.toString()).when().post();
    }

    @Test
    void auditsTheWorkspaceOnTheCommittedScheduleEvent() throws IOException {
        ObjectNode event = event();
        assertThat(event.get("source").asText()).isEqualTo("aws.scheduler");
        assertThat(event.get("detail-type").asText()).isEqualTo("Scheduled Event");

        Response response = post(event);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode summary = AuditJson.MAPPER.readTree(response.asString());
        assertThat(summary.get("status").asText()).isEqualTo("complete");
        assertThat(summary.get("resumeNeeded").asBoolean()).isFalse();
        assertThat(summary.get("segmentsAudited").asInt()).isEqualTo(7);
        assertThat(summary.get("contactsScanned").asLong()).isEqualTo(sandbox.contacts().size());
        assertThat(summary.at("/findings/unmergedLeads").asLong()).isEqualTo(3);
        assertThat(summary.at("/findings/usersSharingEmail").asLong()).isEqualTo(2);
        assertThat(summary.at("/findings/invalidEmails").asLong()).isEqualTo(1);
        assertThat(summary.at("/findings/missingAttributes").asLong()).as("no rules configured").isZero();
        assertThat(summary.at("/fixes/mode").asText()).isEqualTo("off");
        assertThat(summary.get("apiCalls").asLong()).isEqualTo(sandbox.stats().total());

        Path latest = AuditSandbox.REPORT_DIR.resolve("latest");
        assertThat(summary.at("/report/html").asText())
                .isEqualTo(AuditSandbox.REPORT_DIR.resolve("runs/" + summary.get("runId").asText() + "/audit-report.html")
                        .toUri().toString());
        assertThat(latest.resolve(AuditArchive.HTML)).exists();
        assertThat(latest.resolve(AuditArchive.MARKDOWN)).exists();
        JsonNode report = AuditJson.MAPPER.readTree(latest.resolve(AuditArchive.JSON).toFile());
        assertThat(AuditReportSchemaTest.validate(report)).isEmpty();
        assertThat(AuditSandbox.REPORT_DIR.resolve(AuditArchive.CHECKPOINT)).doesNotExist();
    }

    @Test
    void theEventDetailOverridesTheConfiguredOptions() throws IOException {
        ObjectNode event = event();
        event.set("detail", AuditJson.MAPPER.readTree("""
                {"mode": "fix", "dry-run": true, "attempt": "1",
                 "segments": {"exclude": ["VIP", "Newsletter subscribers"]},
                 "rules": {"segment-tags": {"Enterprise": ["plan-enterprise"], "Pro": ["plan-pro"], "Free": ["plan-free"]},
                           "required-attributes": {"All users": ["plan", "company_size"]}},
                 "caps": {"merges": 2, "tag-changes": 3}}
                """));

        Response response = post(event);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode summary = AuditJson.MAPPER.readTree(response.asString());
        assertThat(summary.get("segmentsAudited").asInt()).isEqualTo(5);
        assertThat(summary.at("/findings/missingAttributes").asLong()).isEqualTo(2);
        assertThat(summary.at("/findings/tagDriftMissing").asLong()).isEqualTo(2);
        assertThat(summary.at("/findings/tagDriftExtra").asLong()).isEqualTo(5);
        assertThat(summary.at("/fixes/mode").asText()).isEqualTo("dry-run");
        assertThat(summary.at("/fixes/planned").asLong()).isEqualTo(2 + 3);
        assertThat(summary.at("/fixes/done").asLong()).isZero();
        assertThat(sandbox.stats().snapshot()).as("a dry run only reads").containsOnlyKeys(
                SegmentAuditSandboxTest.READS.stream().map(Endpoint::key).toArray(String[]::new));
        JsonNode report = AuditJson.MAPPER.readTree(AuditSandbox.REPORT_DIR.resolve("latest").resolve(AuditArchive.JSON).toFile());
        assertThat(report.at("/options/caps/merges").asInt()).isEqualTo(2);
        assertThat(report.at("/fixes/skipped/mergesOverCap").asLong()).isEqualTo(1);
        assertThat(AuditReportSchemaTest.validate(report)).isEmpty();
    }

    @Test
    void refusesAnUnknownOptionByNameBeforeAnyIntercomCall() throws IOException {
        ObjectNode event = event();
        event.set("detail", AuditJson.MAPPER.readTree("{\"dryRun\": true}"));

        Response response = post(event);

        assertThat(response.statusCode()).isEqualTo(500);
        JsonNode error = AuditJson.MAPPER.readTree(response.asString());
        assertThat(error.get("errorType").asText()).isEqualTo(AuditInputException.class.getName());
        assertThat(error.get("errorMessage").asText()).startsWith("unknown option 'dryRun' in the event detail; known: ");
        assertThat(sandbox.stats().total()).isZero();
        assertThat(AuditSandbox.REPORT_DIR.resolve("latest")).doesNotExist();
    }
}
