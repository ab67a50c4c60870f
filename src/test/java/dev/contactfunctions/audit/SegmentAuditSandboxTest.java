package dev.contactfunctions.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.contactfunctions.testsupport.TestPseudonyms;
import dev.contactfunctions.sandbox.Endpoint;
import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.PlantedIssue;
import dev.contactfunctions.sandbox.PlantedProblem;
import dev.contactfunctions.sandbox.SandboxContact;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * End to end against the Intercom sandbox, through the shared client: the seeded workspace's planted problems are
 * all found (and nothing else), a clean seed gives an empty report, the calls counted by the sandbox stay within the
 * bound, and a run cut by its deadline resumes to the same report as an uncut run.
 */
@QuarkusTest
@TestProfile(SegmentAuditProfile.class)
@WithTestResource(AuditSandbox.class)
class SegmentAuditSandboxTest {

    static final Set<Endpoint> READS = EnumSet.of(Endpoint.ME, Endpoint.LIST_SEGMENTS, Endpoint.LIST_TAGS, Endpoint.SEARCH_CONTACTS,
            Endpoint.LIST_CONTACTS);

    @InjectAuditSandbox
    AuditSandbox sandboxes;

    @Inject
    AuditWorkspace workspace;

    @TempDir
    Path store;

    IntercomSandbox sandbox;
    Clock clock = Clock.fixed(AuditSeeds.BASE, ZoneOffset.UTC);

    @BeforeEach
    void emptyWorkspace() {
        sandbox = sandboxes.fresh();
        CircuitBreakerMaintenance.get().resetAll();
    }

    SegmentAuditService service(Path reports) {
        return new SegmentAuditService(workspace, new AuditArchive(new LocalReportStore(reports)),
                new AuditMetrics("Test", clock, line -> { }), clock, Duration.ofHours(12), TestPseudonyms.LOCAL);
    }

    static AuditReport report(Path reports) {
        return new AuditArchive(new LocalReportStore(reports)).latestReport().orElseThrow();
    }

    @Test
    void findsEveryPlantedProblemAndNothingElse() {
        AuditSeeds.Seeded seeded = AuditSeeds.seed(sandbox, AuditSeeds.PLANTED);
        List<SandboxContact> contacts = sandbox.contacts();

        AuditSummary summary = service(store).run(AuditSeeds.options(AuditMode.REPORT, false), Deadline.never());

        assertThat(summary.status()).isEqualTo("complete");
        assertThat(summary.findings()).as("3 leads, 2 pairs of users, 2 users without an attribute, 1 invalid email,"
                + " 1 inactive lead; 4 wrong tags (2 replaced: missing + extra, 1 doubled, 1 on a lead) and the plan tag"
                + " of the user whose plan was removed")
                .isEqualTo(new AuditSummary.FindingCounts(3, 2, 2, 1, 1, 2, 5));
        AuditReport report = report(store);
        AuditReport.Findings f = report.findings();
        assertThat(f.unmergedLeads().items().stream().collect(Collectors.toMap(AuditReport.UnmergedLead::leadId,
                AuditReport.UnmergedLead::userIds))).isEqualTo(AuditSeeds.unmergedLeads(contacts));
        assertThat(f.usersSharingEmail().items()).extracting(AuditReport.UsersSharingEmail::userIds)
                .containsExactlyInAnyOrderElementsOf(AuditSeeds.usersSharingEmail(contacts));
        assertThat(f.missingAttributes().items()).allSatisfy(m -> assertThat(m.rule()).isEqualTo("All users"));
        assertThat(f.missingAttributes().items().stream().collect(Collectors.toMap(AuditReport.MissingAttributes::contactId,
                AuditReport.MissingAttributes::missing))).isEqualTo(AuditSeeds.missingAttributes(contacts));
        assertThat(AuditSeeds.tagDrift(report)).isEqualTo(AuditSeeds.tagDrift(contacts));
        assertThat(f.invalidEmails().items()).extracting(AuditReport.InvalidEmail::contactId, AuditReport.InvalidEmail::reason)
                .containsExactly(tuple(seeded.invalidEmailLead(), "contains whitespace"));
        assertThat(f.inactiveLeads().count()).isEqualTo(1);

        for (PlantedIssue issue : seeded.report().planted()) {
            List<String> ids = issue.contactIds();
            switch (issue.problem()) {
                case LEAD_SHARES_USER_EMAIL -> assertThat(f.unmergedLeads().items()).as(issue.description())
                        .contains(new AuditReport.UnmergedLead(ids.get(1), List.of(ids.get(0)),
                                f.unmergedLeads().items().stream().filter(l -> l.leadId().equals(ids.get(1)))
                                        .map(AuditReport.UnmergedLead::emailFingerprint).findFirst().orElse("")));
                case USERS_SHARE_EMAIL -> assertThat(f.usersSharingEmail().items()).as(issue.description())
                        .extracting(AuditReport.UsersSharingEmail::userIds).contains(ids.stream().sorted().toList());
                case MISSING_REQUIRED_ATTRIBUTE -> assertThat(f.missingAttributes().items()).as(issue.description())
                        .extracting(AuditReport.MissingAttributes::contactId).contains(ids.get(0));
                case WRONG_TAG -> assertThat(AuditSeeds.tagDrift(report).values().stream().flatMap(Set::stream))
                        .as(issue.description()).contains(ids.get(0));
                default -> throw new AssertionError("unexpected planted problem " + issue);
            }
        }
        assertThat(seeded.report().planted()).extracting(PlantedIssue::problem)
                .containsAll(EnumSet.allOf(PlantedProblem.class));
        assertThat(report.ruleWarnings()).isEmpty();
    }

    @Test
    void reportsEachSegmentWithIntercomsCountAndTheMembersCounted() {
        AuditSeeds.seed(sandbox, AuditSeeds.PLANTED);
        List<SandboxContact> contacts = sandbox.contacts();

        service(store).run(AuditSeeds.options(AuditMode.REPORT, false), Deadline.never());

        AuditReport report = report(store);
        assertThat(report.segments()).extracting(AuditReport.SegmentReport::name).containsExactly("Active leads",
                "All users", "Enterprise", "Free", "Newsletter subscribers", "Pro", "VIP");
        for (AuditReport.SegmentReport s : report.segments()) {
            assertThat(s.membersCounted()).as(s.name()).isEqualTo(s.intercomCount().longValue());
            assertThat(s.users() + s.leads()).as(s.name()).isEqualTo(s.membersCounted());
            assertThat("user".equals(s.personType()) ? s.leads() : s.users()).as(s.name()).isZero();
        }
        AuditReport.SegmentReport allUsers = report.segments().get(1);
        assertThat(allUsers.users()).isEqualTo(contacts.stream().filter(SandboxContact::isUser).count());
        assertThat(report.workspace().contacts()).isEqualTo(contacts.size());
    }

    @Test
    void reportsNothingOnACleanSeed() {
        AuditSeeds.seed(sandbox, AuditSeeds.CLEAN);

        AuditSummary summary = service(store).run(AuditSeeds.options(AuditMode.REPORT, false), Deadline.never());

        assertThat(summary.status()).isEqualTo("complete");
        assertThat(summary.findings()).isEqualTo(new AuditSummary.FindingCounts(0, 0, 0, 0, 0, 0, 0));
        AuditReport report = report(store);
        assertThat(report.ruleWarnings()).isEmpty();
        assertThat(report.findings().tagDrift().rules()).hasSize(3)
                .allSatisfy(rule -> assertThat(rule.unverifiable()).isZero());
        assertThat(report.workspace().contacts()).isEqualTo(600);
    }

    @Test
    void staysWithinTheCallBoundCountedByTheSandbox() {
        AuditSeeds.seed(sandbox, AuditSeeds.PLANTED);
        long contacts = sandbox.contacts().size();
        sandbox.stats().reset();

        service(store).run(AuditSeeds.options(AuditMode.REPORT, false), Deadline.never());

        AuditReport report = report(store);
        long segmentPages = report.segments().stream().mapToLong(s -> Math.max(1, ceil(s.intercomCount(), 150))).sum();
        long bound = ceil(contacts, 150) + report.segments().stream().mapToLong(s -> ceil(s.intercomCount(), 150)).sum()
                + report.segments().size() + 4;
        assertThat(sandbox.stats().total()).isLessThanOrEqualTo(bound);
        assertThat(sandbox.stats().snapshot()).containsOnlyKeys(READS.stream().map(Endpoint::key).toArray(String[]::new));
        assertThat(sandbox.stats().calls(Endpoint.LIST_CONTACTS)).isEqualTo(ceil(contacts, 150));
        assertThat(sandbox.stats().calls(Endpoint.SEARCH_CONTACTS)).isEqualTo(segmentPages);
        assertThat(sandbox.stats().calls(Endpoint.LIST_SEGMENTS)).isEqualTo(1);
        assertThat(sandbox.stats().calls(Endpoint.LIST_TAGS)).isEqualTo(1);
        assertThat(sandbox.stats().calls(Endpoint.ME)).isEqualTo(1);
        assertThat(report.run().apiCalls()).isEqualTo(sandbox.stats().total());
    }

    @Test
    void aRunCutByAShortDeadlineResumesToTheSameReportAsAnUncutRun(@TempDir Path uncutStore) {
        AuditSeeds.seed(sandbox, AuditSeeds.PLANTED);
        sandbox.stats().reset();
        service(uncutStore).run(AuditSeeds.options(AuditMode.REPORT, false), Deadline.never());
        long uncutCalls = sandbox.stats().total();
        sandbox.stats().reset();

        List<AuditSummary> invocations = new ArrayList<>();
        AuditSummary last;
        do {
            last = service(store).run(AuditSeeds.options(AuditMode.REPORT, false), SegmentAuditServiceTest.afterSteps(2));
            invocations.add(last);
        } while (last.resumeNeeded() && invocations.size() < 100);

        assertThat(invocations.get(0).status()).isEqualTo("partial");
        assertThat(invocations).extracting(AuditSummary::phase).contains("segments", "contacts");
        assertThat(last.status()).isEqualTo("complete");
        assertThat(last.invocations()).isEqualTo(invocations.size()).isGreaterThan(3);
        assertThat(SegmentAuditServiceTest.withoutRun(report(store)))
                .isEqualTo(SegmentAuditServiceTest.withoutRun(report(uncutStore)));
        assertThat(sandbox.stats().total()).isEqualTo(uncutCalls);
    }

    @Test
    void fixModeChangesExactlyWhatTheDryRunListed(@TempDir Path dryStore) {
        AuditSeeds.seed(sandbox, AuditSeeds.PLANTED);
        Map<String, SandboxContact> before = byId(sandbox.contacts(), SandboxContact::id);
        sandbox.stats().reset();

        AuditSummary dry = service(dryStore).run(AuditSeeds.options(AuditMode.FIX, true), Deadline.never());
        assertThat(sandbox.stats().snapshot()).as("a dry run only reads")
                .containsOnlyKeys(READS.stream().map(Endpoint::key).toArray(String[]::new));
        assertThat(byId(sandbox.contacts(), SandboxContact::id)).isEqualTo(before);
        List<AuditReport.Change> planned = report(dryStore).fixes().changes();

        AuditSummary applied = service(store).run(AuditSeeds.options(AuditMode.FIX, false), Deadline.never());
        List<AuditReport.Change> done = report(store).fixes().changes();

        assertThat(dry.fixes().planned()).isEqualTo(3 + 2 + 5).isEqualTo(planned.size());
        assertThat(planned).allSatisfy(c -> assertThat(c.status()).isEqualTo("planned"));
        assertThat(done).allSatisfy(c -> assertThat(c.status()).as(c.toString()).isEqualTo("done"));
        assertThat(done).extracting(AuditReport.Change::action, AuditReport.Change::contactId,
                AuditReport.Change::intoUserId, AuditReport.Change::tagName, AuditReport.Change::tagId)
                .containsExactlyElementsOf(planned.stream().map(c -> tuple(c.action(), c.contactId(), c.intoUserId(),
                        c.tagName(), c.tagId())).toList());
        assertThat(applied.fixes().done()).isEqualTo(planned.size());

        Map<String, SandboxContact> after = byId(sandbox.contacts(), SandboxContact::id);
        Set<String> mergedLeads = new HashSet<>();
        Set<String> mergeTargets = new HashSet<>();
        Map<String, Set<String>> expectedTags = new java.util.HashMap<>();
        for (AuditReport.Change c : planned) {
            switch (c.action()) {
                case FixPlanner.MERGE_LEAD -> {
                    mergedLeads.add(c.contactId());
                    mergeTargets.add(c.intoUserId());
                    assertThat(sandbox.mergedInto(c.contactId())).contains(c.intoUserId());
                }
                case FixPlanner.ADD_TAG -> expectedTags.computeIfAbsent(c.contactId(),
                        id -> new HashSet<>(before.get(id).tagNames())).add(c.tagName());
                case FixPlanner.REMOVE_TAG -> expectedTags.computeIfAbsent(c.contactId(),
                        id -> new HashSet<>(before.get(id).tagNames())).remove(c.tagName());
                default -> throw new AssertionError("unexpected change " + c);
            }
        }
        assertThat(after.keySet()).isEqualTo(ids(before.values().stream().filter(c -> !mergedLeads.contains(c.id())).toList()));
        expectedTags.forEach((id, tags) -> assertThat(new HashSet<>(after.get(id).tagNames())).as(id).isEqualTo(tags));
        before.values().stream()
                .filter(c -> after.containsKey(c.id()) && !expectedTags.containsKey(c.id()) && !mergeTargets.contains(c.id()))
                .forEach(c -> assertThat(after.get(c.id())).as("untouched " + c.id()).isEqualTo(c));
        assertThat(sandbox.stats().calls(Endpoint.MERGE_CONTACTS)).isEqualTo(mergedLeads.size());
        assertThat(sandbox.stats().calls(Endpoint.TAG_CONTACT) + sandbox.stats().calls(Endpoint.UNTAG_CONTACT))
                .isEqualTo(planned.size() - mergedLeads.size());

        AuditSummary recheck = service(store).run(AuditSeeds.options(AuditMode.REPORT, false), Deadline.never());
        assertThat(recheck.findings()).as("what fix mode does not touch stays: users sharing an email, missing attributes")
                .isEqualTo(new AuditSummary.FindingCounts(0, 2, 2, 1, 1, 0, 0));
    }

    static long ceil(long n, long size) {
        return (n + size - 1) / size;
    }

    static <T> Map<String, T> byId(List<T> items, Function<T, String> id) {
        return items.stream().collect(Collectors.toMap(id, Function.identity()));
    }

    static Set<String> ids(List<SandboxContact> contacts) {
        return contacts.stream().map(SandboxContact::id).collect(Collectors.toCollection(HashSet::new));
    }
}
