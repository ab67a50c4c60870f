package dev.contactfunctions.audit;

import static dev.contactfunctions.audit.TestContacts.NOW;
import static dev.contactfunctions.audit.TestContacts.lead;
import static dev.contactfunctions.audit.TestContacts.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.testsupport.TestPseudonyms;
import dev.contactfunctions.intercom.IntercomException;
import dev.contactfunctions.invocation.NotConfiguredException;
import dev.contactfunctions.intercom.model.Contact;

class SegmentAuditServiceTest {

    static final String ENTERPRISE_TAG = "7001";

    @TempDir
    Path dir;
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    List<String> stdout = new ArrayList<>();

    InMemoryWorkspace workspace;

    @BeforeEach
    void plantProblems() {
        workspace = plantedWorkspace();
    }

    /** Every kind of problem once, plus clean contacts around them. */
    static InMemoryWorkspace plantedWorkspace() {
        InMemoryWorkspace w = new InMemoryWorkspace().tag(ENTERPRISE_TAG, "enterprise").tag("7002", "newsletter");
        w.segment("seg-ent", "Enterprise", "user", c -> "enterprise".equals(c.customAttributesOrEmpty().get("tier")));
        w.segment("seg-leads", "Trial leads", "contact", Contact::isLead);
        w.add(user("aaaaaaaaaaaaaaaaaaaaaa01", "alice@example.com").attribute("tier", "enterprise")
                .attribute("plan", "gold").attribute("seats", 10).tags(ENTERPRISE_TAG).build());
        w.add(user("aaaaaaaaaaaaaaaaaaaaaa02", "bob@example.com").attribute("tier", "enterprise")
                .attribute("plan", "gold").attribute("seats", " ").build());
        w.add(lead("bbbbbbbbbbbbbbbbbbbbbb01", " Alice@Example.COM ").build());
        w.add(user("aaaaaaaaaaaaaaaaaaaaaa03", "carol@example.com").build());
        w.add(user("aaaaaaaaaaaaaaaaaaaaaa04", "CAROL@example.com").build());
        w.add(lead("bbbbbbbbbbbbbbbbbbbbbb02", "carol@example.com").build());
        w.add(lead("bbbbbbbbbbbbbbbbbbbbbb03", "not-an-email").build());
        w.add(lead("bbbbbbbbbbbbbbbbbbbbbb04", "dave@example.com").lastSeenDaysAgo(200).build());
        w.add(user("aaaaaaaaaaaaaaaaaaaaaa05", "erin@example.com").tags(ENTERPRISE_TAG, "7002").build());
        w.add(lead("bbbbbbbbbbbbbbbbbbbbbb05", null).neverSeen(10).build());
        return w;
    }

    static AuditOptions options(AuditMode mode, boolean dryRun) {
        return new AuditOptions(mode, dryRun, new AuditOptions.Segments(List.of(), List.of()),
                new AuditRules(Map.of("Enterprise", List.of("plan", "seats")), Map.of("Enterprise", List.of("enterprise"))),
                new AuditOptions.Caps(10, 10), 90, 100);
    }

    SegmentAuditService service(Path store) {
        return new SegmentAuditService(workspace, new AuditArchive(new LocalReportStore(store)),
                new AuditMetrics("Test", clock, stdout::add), clock, Duration.ofHours(12), TestPseudonyms.LOCAL);
    }

    AuditReport latestReport(Path store) {
        return new AuditArchive(new LocalReportStore(store)).latestReport().orElseThrow();
    }

    @Test
    void findsEveryPlantedProblemWithTheContactsConcerned() {
        AuditSummary summary = service(dir).run(options(AuditMode.REPORT, false), Deadline.never());

        assertThat(summary.status()).isEqualTo("complete");
        AuditReport.Findings f = latestReport(dir).findings();
        assertThat(f.unmergedLeads().items()).extracting(AuditReport.UnmergedLead::leadId, AuditReport.UnmergedLead::userIds)
                .containsExactlyInAnyOrder(
                        tuple("bbbbbbbbbbbbbbbbbbbbbb01", List.of("aaaaaaaaaaaaaaaaaaaaaa01")),
                        tuple("bbbbbbbbbbbbbbbbbbbbbb02",
                                List.of("aaaaaaaaaaaaaaaaaaaaaa03", "aaaaaaaaaaaaaaaaaaaaaa04")));
        assertThat(f.unmergedLeads().items().get(0).emailFingerprint())
                .isIn(TestPseudonyms.LOCAL.emailFingerprint("alice@example.com"),
                        TestPseudonyms.LOCAL.emailFingerprint("carol@example.com"));
        assertThat(f.usersSharingEmail().items()).containsExactly(new AuditReport.UsersSharingEmail(
                TestPseudonyms.LOCAL.emailFingerprint("carol@example.com"),
                List.of("aaaaaaaaaaaaaaaaaaaaaa03", "aaaaaaaaaaaaaaaaaaaaaa04")));
        assertThat(f.missingAttributes().items()).containsExactly(new AuditReport.MissingAttributes(
                "aaaaaaaaaaaaaaaaaaaaaa02", "user", "Enterprise", "seg-ent", List.of("seats")));
        assertThat(f.invalidEmails().items()).containsExactly(new AuditReport.InvalidEmail(
                "bbbbbbbbbbbbbbbbbbbbbb03", "lead", "no @", TestPseudonyms.LOCAL.emailFingerprint("not-an-email")));
        assertThat(f.inactiveLeads().count()).isEqualTo(1);
        assertThat(f.inactiveLeads().cutoff()).isEqualTo(NOW.minus(Duration.ofDays(90)));
        AuditReport.TagRule rule = f.tagDrift().rules().get(0);
        assertThat(rule.tagId()).isEqualTo(ENTERPRISE_TAG);
        assertThat(rule.missing().items()).containsExactly("aaaaaaaaaaaaaaaaaaaaaa02");
        assertThat(rule.extra().items()).containsExactly("aaaaaaaaaaaaaaaaaaaaaa05");
        assertThat(f.tagDrift().missing()).isEqualTo(1);
        assertThat(f.tagDrift().extra()).isEqualTo(1);
    }

    @Test
    void reportsEachSegmentWithIntercomsCountAndTheMembersCounted() {
        service(dir).run(options(AuditMode.REPORT, false), Deadline.never());

        AuditReport report = latestReport(dir);
        assertThat(report.segments()).extracting(AuditReport.SegmentReport::name, AuditReport.SegmentReport::personType,
                AuditReport.SegmentReport::intercomCount, AuditReport.SegmentReport::membersCounted,
                AuditReport.SegmentReport::users, AuditReport.SegmentReport::leads, AuditReport.SegmentReport::change)
                .containsExactly(
                        tuple("Enterprise", "user", 2, 2L, 2L, 0L, null),
                        tuple("Trial leads", "contact", 5, 5L, 0L, 5L, null));
        assertThat(report.workspace()).isEqualTo(new AuditReport.Workspace(true, 10, 5, 5, 1));
    }

    @Test
    void comparesSegmentSizesWithThePreviousCompleteReport() {
        service(dir).run(options(AuditMode.REPORT, false), Deadline.never());
        String firstRun = latestReport(dir).run().id();
        workspace.add(lead("bbbbbbbbbbbbbbbbbbbbbb06", "frank@example.com").build());
        workspace.contacts.remove("aaaaaaaaaaaaaaaaaaaaaa02");
        clock = Clock.fixed(NOW.plus(Duration.ofDays(1)), ZoneOffset.UTC);

        service(dir).run(options(AuditMode.REPORT, false), Deadline.never());

        AuditReport second = latestReport(dir);
        assertThat(second.run().previousRunId()).isEqualTo(firstRun);
        assertThat(second.segments()).extracting(AuditReport.SegmentReport::previousMembersCounted,
                AuditReport.SegmentReport::change)
                .containsExactly(tuple(2L, -1L), tuple(5L, 1L));
    }

    @Test
    void twoRunsInTheSameSecondKeepTheirOwnReportsAndTheSecondComparesWithTheFirst() {
        AuditSummary first = service(dir).run(options(AuditMode.REPORT, false), Deadline.never());
        AuditSummary second = service(dir).run(options(AuditMode.REPORT, false), Deadline.never());

        assertThat(second.runId()).isNotEqualTo(first.runId()).startsWith("2026-");
        assertThat(dir.resolve("runs/" + first.runId() + "/audit-report.json")).exists();
        assertThat(dir.resolve("runs/" + second.runId() + "/audit-report.json")).exists();
        AuditReport latest = latestReport(dir);
        assertThat(latest.run().id()).isEqualTo(second.runId());
        assertThat(latest.run().previousRunId()).isEqualTo(first.runId());
    }

    @Test
    void reportsNothingOnACleanWorkspace() {
        workspace = new InMemoryWorkspace().tag(ENTERPRISE_TAG, "enterprise");
        workspace.segment("seg-ent", "Enterprise", "user", c -> "enterprise".equals(c.customAttributesOrEmpty().get("tier")));
        for (int i = 0; i < 20; i++) {
            workspace.add(user(String.format("cccccccccccccccccccccc%02d", i), "user" + i + "@example.com")
                    .attribute("tier", i % 2 == 0 ? "enterprise" : "free").attribute("plan", "p").attribute("seats", 1)
                    .tags(i % 2 == 0 ? new String[] {ENTERPRISE_TAG} : new String[0]).build());
        }

        AuditSummary summary = service(dir).run(options(AuditMode.REPORT, false), Deadline.never());

        assertThat(summary.findings()).isEqualTo(new AuditSummary.FindingCounts(0, 0, 0, 0, 0, 0, 0));
        AuditReport report = latestReport(dir);
        assertThat(report.ruleWarnings()).isEmpty();
        assertThat(report.findings().tagDrift().rules().get(0).unverifiable()).isZero();
    }

    @Test
    void staysWithinTheCallBoundOnAThousandContacts() {
        for (int i = 0; i < 1000; i++) {
            workspace.add(lead(String.format("dddddddddddddddddddd%04d", i), "bulk" + i + "@example.com").build());
        }
        service(dir).run(options(AuditMode.REPORT, false), Deadline.never());

        int n = workspace.contacts.size();
        int leads = (int) workspace.contacts.values().stream().filter(Contact::isLead).count();
        int segmentPages = ceil(2, 150) + ceil(leads, 150);
        int bound = ceil(n, 150) + segmentPages + 2 + 4;
        assertThat(workspace.reads()).isLessThanOrEqualTo(bound)
                .isEqualTo(ceil(n, 150) + segmentPages + 3); // me + segments + tags
        assertThat(latestReport(dir).run().apiCalls()).isEqualTo(workspace.reads());
    }

    @Test
    void aRunCutByTheDeadlineResumesAndEndsWithTheSameReportAsAnUncutRun(@TempDir Path uncutStore) {
        for (int i = 0; i < 400; i++) {
            workspace.add(lead(String.format("eeeeeeeeeeeeeeeeeeee%04d", i), i % 7 == 0 ? "bad" + i : "l" + i + "@example.com").build());
        }
        service(uncutStore).run(options(AuditMode.REPORT, false), Deadline.never());
        int uncutCalls = workspace.reads();
        workspace.calls.clear();
        workspace.appLookups = 0;

        List<AuditSummary> invocations = new ArrayList<>();
        AuditSummary last;
        do {
            last = service(dir).run(options(AuditMode.REPORT, false), afterSteps(1));
            invocations.add(last);
        } while (last.resumeNeeded() && invocations.size() < 50);

        assertThat(invocations).hasSizeGreaterThanOrEqualTo(4);
        assertThat(invocations.get(0).status()).isEqualTo("partial");
        assertThat(invocations.get(0).stopReason()).isEqualTo("deadline");
        assertThat(last.status()).isEqualTo("complete");
        assertThat(last.invocations()).isEqualTo(invocations.size());
        assertThat(workspace.reads()).isEqualTo(uncutCalls);
        assertThat(withoutRun(latestReport(dir))).isEqualTo(withoutRun(latestReport(uncutStore)));
        assertThat(dir.resolve(AuditArchive.CHECKPOINT)).doesNotExist();
    }

    @Test
    void aPartialRunLeavesAPartialReportAndACheckpoint() {
        AuditSummary first = service(dir).run(options(AuditMode.REPORT, false), afterSteps(1));

        assertThat(first.status()).isEqualTo("partial");
        assertThat(first.phase()).isEqualTo("segments");
        assertThat(dir.resolve(AuditArchive.CHECKPOINT)).exists();
        assertThat(dir.resolve("runs/" + first.runId() + "/audit-report.json")).exists();
        assertThat(dir.resolve("latest/audit-report.json")).doesNotExist();
        assertThat(stdout).anySatisfy(line -> assertThat(line).contains("\"PartialRuns\":1"));
    }

    @Test
    void stopsWithACheckpointWhenIntercomStaysUnavailableAndResumesLater(@TempDir Path uncutStore) {
        service(uncutStore).run(options(AuditMode.REPORT, false), Deadline.never());
        workspace.calls.clear();
        workspace.failAtCall = 4;
        workspace.failure = new IntercomException.Unavailable(IntercomException.Unavailable.Reason.BUDGET_SPENT,
                "No time left in this invocation", null);

        AuditSummary stopped = service(dir).run(options(AuditMode.REPORT, false), Deadline.never());
        workspace.failAtCall = -1;
        AuditSummary resumed = service(dir).run(options(AuditMode.REPORT, false), Deadline.never());

        assertThat(stopped.status()).isEqualTo("partial");
        assertThat(stopped.stopReason()).isEqualTo("intercom unavailable: Unavailable budget_spent");
        assertThat(resumed.status()).isEqualTo("complete");
        assertThat(withoutRun(latestReport(dir))).isEqualTo(withoutRun(latestReport(uncutStore)));
    }

    @Test
    void aFailureThatWaitingWillNotCureSavesTheCheckpointAndFails() {
        workspace.failAtCall = 3;
        workspace.failure = new IntercomException.Unauthorized(401, "unauthorized", "Access Token Invalid", null);

        assertThatThrownBy(() -> service(dir).run(options(AuditMode.REPORT, false), Deadline.never()))
                .isInstanceOf(IntercomException.Unauthorized.class);
        assertThat(dir.resolve(AuditArchive.CHECKPOINT)).exists();
    }

    @Test
    void withoutATokenTheRunStopsWithAClearErrorNamingTheSettingAfterSavingTheCheckpoint() throws Exception {
        workspace.failAtCall = 1;
        workspace.failure = new NotConfiguredException("INTERCOM_TOKEN_SECRET_ARN (or INTERCOM_ACCESS_TOKEN)",
                "the Intercom access token");

        assertThatThrownBy(() -> service(dir).run(options(AuditMode.FIX, false), Deadline.never()))
                .isInstanceOf(NotConfiguredException.class).hasMessageContaining("INTERCOM_TOKEN_SECRET_ARN");

        assertThat(new AuditArchive(new LocalReportStore(dir)).checkpoint()).isPresent();
        String runId = new AuditArchive(new LocalReportStore(dir)).checkpoint().orElseThrow().runId();
        AuditReport partial = AuditJson.MAPPER.readValue(
                dir.resolve(AuditArchive.RUNS + runId + "/" + AuditArchive.JSON).toFile(), AuditReport.class);
        assertThat(partial.run().status()).isEqualTo("partial");
        assertThat(partial.run().stopReason())
                .isEqualTo("not configured: INTERCOM_TOKEN_SECRET_ARN (or INTERCOM_ACCESS_TOKEN)");
    }

    @Test
    void startsOverWhenTheOptionsChangedOrTheCheckpointIsTooOld() {
        AuditSummary cut = service(dir).run(options(AuditMode.REPORT, false), afterSteps(1));

        AuditOptions other = options(AuditMode.REPORT, false).with(new AuditOverrides(null, null, null, null, null, 30, null, null));
        AuditSummary fresh = service(dir).run(other, Deadline.never());
        assertThat(fresh.invocations()).isEqualTo(1);

        service(dir).run(options(AuditMode.REPORT, false), afterSteps(1));
        clock = Clock.fixed(NOW.plus(Duration.ofHours(13)), ZoneOffset.UTC);
        AuditSummary late = service(dir).run(options(AuditMode.REPORT, false), Deadline.never());
        assertThat(late.invocations()).isEqualTo(1);
        assertThat(late.runId()).isNotEqualTo(cut.runId());
    }

    @Test
    void fixModeChangesExactlyWhatTheDryRunListed(@TempDir Path dryStore) {
        AuditSummary dry = service(dryStore).run(options(AuditMode.FIX, true), Deadline.never());
        assertThat(workspace.writes).isEmpty();
        List<AuditReport.Change> planned = latestReport(dryStore).fixes().changes();

        AuditSummary applied = service(dir).run(options(AuditMode.FIX, false), Deadline.never());
        List<AuditReport.Change> done = latestReport(dir).fixes().changes();

        assertThat(dry.fixes().planned()).isEqualTo(planned.size());
        assertThat(planned).extracting(AuditReport.Change::action, AuditReport.Change::contactId,
                AuditReport.Change::intoUserId, AuditReport.Change::tagName)
                .containsExactly(
                        tuple("merge-lead", "bbbbbbbbbbbbbbbbbbbbbb01", "aaaaaaaaaaaaaaaaaaaaaa01", null),
                        tuple("add-tag", "aaaaaaaaaaaaaaaaaaaaaa02", null, "enterprise"),
                        tuple("remove-tag", "aaaaaaaaaaaaaaaaaaaaaa05", null, "enterprise"));
        assertThat(done).extracting(AuditReport.Change::action, AuditReport.Change::contactId,
                AuditReport.Change::intoUserId, AuditReport.Change::tagName)
                .containsExactlyElementsOf(planned.stream().map(c -> tuple(
                        c.action(), c.contactId(), c.intoUserId(), c.tagName())).toList());
        assertThat(done).allSatisfy(c -> assertThat(c.status()).isEqualTo("done"));
        assertThat(applied.fixes().done()).isEqualTo(3);
        assertThat(workspace.writes).containsExactly(
                "merge-lead bbbbbbbbbbbbbbbbbbbbbb01 aaaaaaaaaaaaaaaaaaaaaa01",
                "add-tag aaaaaaaaaaaaaaaaaaaaaa02 " + ENTERPRISE_TAG,
                "remove-tag aaaaaaaaaaaaaaaaaaaaaa05 " + ENTERPRISE_TAG);
        assertThat(latestReport(dir).fixes().skipped().ambiguousLeads()).isEqualTo(1);

        AuditSummary after = service(dir).run(options(AuditMode.REPORT, false), Deadline.never());
        assertThat(after.findings().unmergedLeads()).isEqualTo(1); // the lead of two users stays for a human
        assertThat(after.findings().tagDriftMissing()).isZero();
        assertThat(after.findings().tagDriftExtra()).isZero();
    }

    @Test
    void fixModeKeepsWithinItsCapsAndCreatesAMissingTagFirst() {
        workspace.tags.remove(ENTERPRISE_TAG);
        workspace.tagsOfContact.clear();
        AuditOptions capped = options(AuditMode.FIX, false).with(new AuditOverrides(null, null, null, null,
                new AuditOverrides.CapsOverride(0, 1), null, null, null));

        service(dir).run(capped, Deadline.never());

        AuditReport report = latestReport(dir);
        assertThat(report.ruleWarnings()).contains("tag 'enterprise' of segment 'Enterprise' does not exist in the workspace; fix mode creates it");
        assertThat(report.fixes().changes()).extracting(AuditReport.Change::action, AuditReport.Change::contactId,
                AuditReport.Change::status)
                .containsExactly(tuple("create-tag", null, "done"),
                        tuple("add-tag", "aaaaaaaaaaaaaaaaaaaaaa01", "done"));
        assertThat(report.fixes().changes().get(1).tagId()).isEqualTo(report.fixes().changes().get(0).tagId()).isNotNull();
        assertThat(report.fixes().skipped()).isEqualTo(new AuditReport.Skipped(1, 1, 1));
        assertThat(workspace.calls.getOrDefault("merge", 0)).isZero();
    }

    @Test
    void aFixThatIntercomRefusesIsListedAsFailedAndTheOthersGoOn() {
        workspace.failAtCall = 6; // after segments, tags, 2 segment pages and 1 contacts page: the merge
        workspace.failure = new IntercomException.NotFound("not_found", "User Not Found", null);

        service(dir).run(options(AuditMode.FIX, false), Deadline.never());

        assertThat(latestReport(dir).fixes().changes()).extracting(AuditReport.Change::status, AuditReport.Change::error)
                .containsExactly(tuple("failed", "NotFound 404 not_found"),
                        tuple("done", null), tuple("done", null));
    }

    @Test
    void aFixRunCutAfterPlanningResumesTheChangesAndSkipsALeadAlreadyGone() {
        AuditSummary cut = service(dir).run(options(AuditMode.FIX, false), afterSteps(4));
        assertThat(cut.phase()).isEqualTo("fixes");
        assertThat(cut.fixes().pending()).isEqualTo(3);
        workspace.contacts.remove("bbbbbbbbbbbbbbbbbbbbbb01"); // merged by identify-merge meanwhile

        AuditSummary resumed = service(dir).run(options(AuditMode.FIX, false), Deadline.never());

        assertThat(resumed.status()).isEqualTo("complete");
        assertThat(latestReport(dir).fixes().changes()).extracting(AuditReport.Change::action, AuditReport.Change::status,
                AuditReport.Change::error).containsExactly(tuple("merge-lead", "skipped", "gone"),
                        tuple("add-tag", "done", null), tuple("remove-tag", "done", null));
        assertThat(resumed.fixes()).isEqualTo(new AuditSummary.FixCounts("apply", 0, 2, 1, 0, 0, 0));
    }

    static int ceil(int n, int size) {
        return (n + size - 1) / size;
    }

    /** A deadline reached after it has been asked {@code steps} times. */
    static Deadline afterSteps(int steps) {
        AtomicInteger asked = new AtomicInteger();
        return () -> asked.incrementAndGet() > steps;
    }

    static JsonNode withoutRun(AuditReport report) {
        ObjectNode tree = AuditJson.MAPPER.valueToTree(report);
        tree.remove("run");
        return tree;
    }
}
