package dev.contactfunctions.audit;

import static dev.contactfunctions.audit.TestContacts.NOW;
import static dev.contactfunctions.audit.TestContacts.lead;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.testsupport.TestPseudonyms;

/**
 * The checkpoint is read by the next version deployed: a run saved mid-way by the version before resumes. The
 * fixtures in {@code checkpoint-v1/} are the checkpoints that version saved after each invocation of a fix-mode run
 * cut after every step (segment pages, contact pages with their cursors and email index, planned and
 * applied fixes).
 */
class AuditCheckpointFormatTest {

    static final String FIXTURES = "checkpoint-v1/";
    static final int FIXTURE_COUNT = 6;

    @TempDir
    Path dir;
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    InMemoryWorkspace workspace;

    @BeforeEach
    void workspaceOfThreePagesOfContacts() {
        workspace = workspace();
    }

    static InMemoryWorkspace workspace() {
        InMemoryWorkspace w = SegmentAuditServiceTest.plantedWorkspace();
        for (int i = 0; i < 400; i++) {
            w.add(lead(String.format("eeeeeeeeeeeeeeeeeeee%04d", i), i % 7 == 0 ? "bad" + i : "l" + i + "@example.com")
                    .build());
        }
        return w;
    }

    static AuditOptions options() {
        return SegmentAuditServiceTest.options(AuditMode.FIX, false);
    }

    SegmentAuditService service(Path store) {
        return new SegmentAuditService(workspace, new AuditArchive(new LocalReportStore(store)),
                new AuditMetrics("Test", clock, line -> { }), clock, Duration.ofHours(12), TestPseudonyms.LOCAL);
    }

    /** The checkpoint saved after each invocation of a run cut after every step. */
    List<String> checkpointsOfARunCutAfterEveryStep(Path store) throws IOException {
        List<String> checkpoints = new ArrayList<>();
        AuditSummary last;
        do {
            last = service(store).run(options(), SegmentAuditServiceTest.afterSteps(1));
            Path checkpoint = store.resolve(AuditArchive.CHECKPOINT);
            if (Files.exists(checkpoint)) {
                checkpoints.add(Files.readString(checkpoint));
            }
        } while (last.resumeNeeded() && checkpoints.size() < 50);
        return checkpoints;
    }

    static String fixture(int index) {
        String name = FIXTURES + String.format("%02d.json", index);
        try (InputStream in = AuditCheckpointFormatTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode withoutRunId(String checkpoint) throws IOException {
        ObjectNode tree = (ObjectNode) AuditJson.MAPPER.readTree(checkpoint);
        tree.remove("runId");
        return tree;
    }

    @Test
    void savesEachCheckpointInTheFormatThePreviousVersionSaved() throws IOException {
        List<String> saved = checkpointsOfARunCutAfterEveryStep(dir);

        assertThat(saved).hasSize(FIXTURE_COUNT);
        for (int i = 0; i < FIXTURE_COUNT; i++) {
            assertThat(withoutRunId(saved.get(i))).as("checkpoint %d", i).isEqualTo(withoutRunId(fixture(i)));
        }
    }

    @Test
    void resumesFromEachCheckpointThePreviousVersionSavedToTheReportOfAnUncutRun(@TempDir Path uncutStore)
            throws IOException {
        service(uncutStore).run(options(), Deadline.never());
        JsonNode uncut = SegmentAuditServiceTest.withoutRun(latestReport(uncutStore));

        for (int i = 0; i < FIXTURE_COUNT; i++) {
            workspace = workspace();
            Path store = Files.createDirectories(dir.resolve("resume-" + i));
            Path checkpoint = store.resolve(AuditArchive.CHECKPOINT);
            Files.createDirectories(checkpoint.getParent());
            Files.writeString(checkpoint, fixture(i));
            String runId = AuditJson.MAPPER.readTree(fixture(i)).get("runId").asText();

            AuditSummary resumed = service(store).run(options(), Deadline.never());

            assertThat(resumed.runId()).as("checkpoint %d", i).isEqualTo(runId);
            assertThat(resumed.status()).as("checkpoint %d", i).isEqualTo("complete");
            assertThat(SegmentAuditServiceTest.withoutRun(latestReport(store))).as("checkpoint %d", i)
                    .isEqualTo(uncut);
        }
    }

    @Test
    void aCheckpointSavedMidReadByTheVersionWithoutReadChainsStartsANewRun() throws IOException {
        ObjectNode older = (ObjectNode) AuditJson.MAPPER.readTree(fixture(2));
        older.remove("reads");
        Path checkpoint = dir.resolve(AuditArchive.CHECKPOINT);
        Files.createDirectories(checkpoint.getParent());
        Files.writeString(checkpoint, AuditJson.MAPPER.writeValueAsString(older));

        AuditSummary fresh = service(dir).run(options(), Deadline.never());

        assertThat(fresh.runId()).isNotEqualTo(older.get("runId").asText());
        assertThat(fresh.invocations()).isEqualTo(1);
        assertThat(fresh.status()).isEqualTo("complete");
    }

    AuditReport latestReport(Path store) {
        return new AuditArchive(new LocalReportStore(store)).latestReport().orElseThrow();
    }
}
