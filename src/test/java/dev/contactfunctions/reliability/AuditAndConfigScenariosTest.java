package dev.contactfunctions.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.contactfunctions.audit.AuditReport;
import dev.contactfunctions.audit.FixModeFaults;
import dev.contactfunctions.audit.FixModeFaults.Fault;

/**
 * The audit's fix mode when a fault interrupts it, and the functions when a setting is missing.
 *
 * <p>{@code fix_mode_faults}: each fault the fix path can meet (the person's identity busy in the ledger, DynamoDB
 * failing before and after Intercom merged, SQS failing, Intercom refusing the token with 401 or 403) hits the second
 * of seven fixes. The invocation ends with the checkpoint saved and a partial report listing the fix done and the one
 * interrupted (with why, no address), then the next invocation resumes and completes: every fix lands exactly once.
 * Each planned fix counts as attempted and accepted, delivered when its effect is in the workspace at the end,
 * duplicated when Intercom received it twice. The audit's fixes resume from the checkpoint and merge by lead id: no
 * search is involved, so the scenario runs without search lag.
 */
class AuditAndConfigScenariosTest {

    @TempDir
    Path stores;

    @Test
    void fixModeFaults() throws Exception {
        ScenarioFigures figures = new ScenarioFigures("fix_mode_faults", 0);
        for (Fault fault : Fault.values()) {
            Path store = Files.createDirectory(stores.resolve(fault.name()));
            FixModeFaults.Outcome outcome = FixModeFaults.run(fault, store);

            // the first invocation: fails (a configuration problem, so that its alarm calls) or answers partial
            if (fault.configurationProblem()) {
                assertThat(outcome.firstFailure()).as(fault.name()).isPresent();
            } else {
                assertThat(outcome.firstFailure()).as(fault.name()).isEmpty();
                assertThat(outcome.firstSummary().orElseThrow().status()).as(fault.name()).isEqualTo("partial");
                assertThat(outcome.firstSummary().orElseThrow().resumeNeeded()).as(fault.name()).isTrue();
            }
            // ... with the checkpoint saved and a partial report: the first merge done, the second interrupted
            assertThat(outcome.checkpointAfterFirst()).as(fault.name()).isTrue();
            assertThat(outcome.partialReport().run().status()).as(fault.name()).isEqualTo("partial");
            assertThat(outcome.partialReport().run().stopReason()).as(fault.name()).isNotBlank();
            List<AuditReport.Change> changes = outcome.partialChanges();
            assertThat(changes).as(fault.name()).hasSize(FixModeFaults.PLANNED_FIXES);
            assertThat(changes.get(0).status()).as(fault.name()).isEqualTo("done");
            assertThat(changes.get(1).status()).as(fault.name()).isEqualTo(AuditReport.INTERRUPTED);
            assertThat(changes.get(1).error()).as(fault.name()).isNotBlank();
            assertThat(changes.subList(2, changes.size())).as(fault.name())
                    .allMatch(c -> c.status().equals("pending"));
            assertThat(outcome.partialReportJson()).as(fault.name()).doesNotContain("@");

            // the next invocation resumes and completes
            assertThat(outcome.second().status()).as(fault.name()).isEqualTo("complete");
            assertThat(outcome.second().invocations()).as(fault.name()).isEqualTo(2);
            assertThat(outcome.checkpointAfterSecond()).as(fault.name()).isFalse();
            assertThat(outcome.finalReport().fixes().changes()).as(fault.name())
                    .noneMatch(c -> c.status().equals("pending") || c.status().equals(AuditReport.INTERRUPTED)
                            || c.status().equals("failed"));
            assertThat(outcome.leadsLeft()).as(fault.name()).isEmpty();
            assertThat(outcome.taggedUsers()).as(fault.name()).containsExactlyElementsOf(FixModeFaults.USERS);

            figures.attempted += FixModeFaults.PLANNED_FIXES;
            figures.accepted += FixModeFaults.PLANNED_FIXES;
            List<String> writes = outcome.writes();
            Set<String> distinct = new HashSet<>(writes);
            figures.duplicated += writes.size() - distinct.size();
            List<String> landed = new ArrayList<>();
            FixModeFaults.LEADS.stream().filter(l -> !outcome.leadsLeft().contains(l)).forEach(landed::add);
            landed.addAll(outcome.taggedUsers());
            figures.delivered += landed.size() + (distinct.stream().anyMatch(w -> w.startsWith("create-tag")) ? 1 : 0);
            assertThat(writes).as(fault.name()).doesNotHaveDuplicates().hasSize(FixModeFaults.PLANNED_FIXES);
        }
        figures.print();
        assertThat(figures.duplicated).isZero();
        assertThat(figures.lost()).isZero();
    }
}
