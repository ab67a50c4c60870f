package dev.contactfunctions.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.contactfunctions.intercom.model.ContactPage;
import dev.contactfunctions.testsupport.TestPseudonyms;
import dev.contactfunctions.sandbox.Endpoint;
import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.PlantedProblem;
import dev.contactfunctions.sandbox.SeedSpec;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * The audit with many calls in flight, against the sandbox through the shared client, on a generated workspace of a
 * few thousand contacts with planted problems: long chains are split (by role, then by days of {@code created_at})
 * and read concurrently, and the report is the one the sequential audit writes, also when the run is cut at its
 * deadline with calls in flight and resumed.
 */
@QuarkusTest
@TestProfile(SegmentAuditProfile.class)
@WithTestResource(AuditSandbox.class)
class ConcurrentAuditSandboxTest {

    static final SeedSpec WORKSPACE = SeedSpec.of(13, 4_000).plant(PlantedProblem.LEAD_SHARES_USER_EMAIL, 40)
            .plant(PlantedProblem.USERS_SHARE_EMAIL, 25).plant(PlantedProblem.MISSING_REQUIRED_ATTRIBUTE, 30)
            .plant(PlantedProblem.WRONG_TAG, 35);
    static final int CONCURRENCY = 16;

    @InjectAuditSandbox
    AuditSandbox sandboxes;

    @Inject
    AuditWorkspace workspace;

    @TempDir
    Path sequentialStore;

    @TempDir
    Path concurrentStore;

    IntercomSandbox sandbox;
    Clock clock = Clock.fixed(AuditSeeds.BASE, ZoneOffset.UTC);

    @BeforeEach
    void plantedWorkspace() {
        sandbox = sandboxes.fresh();
        CircuitBreakerMaintenance.get().resetAll();
        AuditSeeds.seed(sandbox, WORKSPACE);
    }

    SegmentAuditService service(Path reports, int concurrency) {
        return new SegmentAuditService(workspace, new AuditArchive(new LocalReportStore(reports)),
                new AuditMetrics("Test", clock, line -> { }), clock, Duration.ofHours(12), concurrency,
                TestPseudonyms.LOCAL);
    }

    /** Options with room to list every planted finding, so that the lists are compared whole. */
    static AuditOptions options() {
        AuditOptions options = AuditSeeds.options(AuditMode.REPORT, false);
        return new AuditOptions(options.mode(), options.dryRun(), options.segments(), options.rules(), options.caps(),
                options.inactivityDays(), 50);
    }

    @Test
    void theConcurrentReportEqualsTheSequentialOne() {
        sandbox.stats().reset();
        service(sequentialStore, 1).run(options(), Deadline.never());
        long sequentialListPages = sandbox.stats().calls(Endpoint.LIST_CONTACTS);
        sandbox.stats().reset();

        AuditSummary concurrent = service(concurrentStore, CONCURRENCY).run(options(), Deadline.never());

        assertThat(concurrent.status()).isEqualTo("complete");
        AuditReport expected = SegmentAuditSandboxTest.report(sequentialStore);
        AuditReport actual = SegmentAuditSandboxTest.report(concurrentStore);
        assertThat(expected.findings().unmergedLeads().count()).isGreaterThanOrEqualTo(40);
        assertThat(expected.findings().usersSharingEmail().count()).isGreaterThanOrEqualTo(25);
        assertThat(expected.workspace().contacts()).isEqualTo(sandbox.contacts().size());
        assertThat(SegmentAuditServiceTest.withoutRun(actual)).isEqualTo(SegmentAuditServiceTest.withoutRun(expected));
        assertThat(sequentialListPages).isEqualTo((sandbox.contacts().size() + 149) / 150);
        assertThat(sandbox.stats().calls(Endpoint.LIST_CONTACTS))
                .as("the listing's first page tells it is long: it is read as searches by role and days instead")
                .isEqualTo(1);
        assertThat(actual.run().apiCalls()).isEqualTo(sandbox.stats().total());
    }

    @Test
    void aConcurrentRunCutWithCallsInFlightResumesToTheSequentialReport() {
        service(sequentialStore, 1).run(options(), Deadline.never());

        List<AuditSummary> invocations = new ArrayList<>();
        AuditSummary last;
        do {
            last = service(concurrentStore, CONCURRENCY).run(options(), deadlineAfterCalls(20));
            invocations.add(last);
        } while (last.resumeNeeded() && invocations.size() < 100);

        assertThat(invocations.get(0).status()).isEqualTo("partial");
        assertThat(invocations).extracting(AuditSummary::phase).contains("segments", "contacts");
        assertThat(last.status()).isEqualTo("complete");
        assertThat(last.invocations()).isEqualTo(invocations.size()).isGreaterThan(3);
        assertThat(SegmentAuditServiceTest.withoutRun(SegmentAuditSandboxTest.report(concurrentStore)))
                .isEqualTo(SegmentAuditServiceTest.withoutRun(SegmentAuditSandboxTest.report(sequentialStore)));
    }

    @Test
    void theContactsPassIsSplitWhileTheSegmentsAreReadAndItsPagesCountedOnlyAfterThem() {
        service(sequentialStore, 1).run(options(), Deadline.never());
        List<ReadSlice> order = Collections.synchronizedList(new ArrayList<>());

        AuditSummary concurrent = new SegmentAuditService(recordingReads(order), new AuditArchive(
                new LocalReportStore(concurrentStore)), new AuditMetrics("Test", clock, line -> { }), clock,
                Duration.ofHours(12), CONCURRENCY, TestPseudonyms.LOCAL).run(options(), Deadline.never());

        assertThat(concurrent.status()).isEqualTo("complete");
        int lastSegmentPage = lastIndexWhere(order, slice -> slice.segmentId() != null);
        assertThat(order.indexOf(ReadSlice.everyone()))
                .as("the listing's first page, which splits the contacts pass, is read before the segments end")
                .isLessThan(lastSegmentPage);
        assertThat(order.subList(0, lastSegmentPage).stream().filter(s -> s.segmentId() == null && s.role() != null))
                .as("and so are the first pages of the searches by role it is split into").hasSizeGreaterThanOrEqualTo(2);
        // the planted wrong tags are found by comparing every contact with the tagged segment's members: counted
        // before the segments were all read, a contact's tag would be reported against a member list still partial
        assertThat(SegmentAuditServiceTest.withoutRun(SegmentAuditSandboxTest.report(concurrentStore)))
                .isEqualTo(SegmentAuditServiceTest.withoutRun(SegmentAuditSandboxTest.report(sequentialStore)));
    }

    @Test
    void withoutTagRulesTheContactsPassIsReadAlongsideTheSegmentsToTheSequentialReport() {
        AuditOptions planted = options();
        AuditOptions noTagRules = new AuditOptions(planted.mode(), planted.dryRun(), planted.segments(),
                new AuditRules(planted.rules().requiredAttributes(), Map.of()), planted.caps(),
                planted.inactivityDays(), planted.maxListedPerFinding());
        service(sequentialStore, 1).run(noTagRules, Deadline.never());
        List<ReadSlice> order = Collections.synchronizedList(new ArrayList<>());

        AuditSummary concurrent = new SegmentAuditService(recordingReads(order), new AuditArchive(
                new LocalReportStore(concurrentStore)), new AuditMetrics("Test", clock, line -> { }), clock,
                Duration.ofHours(12), CONCURRENCY, TestPseudonyms.LOCAL).run(noTagRules, Deadline.never());

        assertThat(concurrent.status()).isEqualTo("complete");
        int lastSegmentPage = lastIndexWhere(order, slice -> slice.segmentId() != null);
        assertThat(order.subList(0, lastSegmentPage).stream().filter(s -> s.segmentId() == null).count())
                .as("pages of the contacts pass read (and counted) before the segments' last")
                .isGreaterThan(ReadChain.pages(sandbox.contacts().size()) / 2);
        AuditReport actual = SegmentAuditSandboxTest.report(concurrentStore);
        assertThat(actual.workspace().contacts()).as("every contact counted once").isEqualTo(sandbox.contacts().size());
        assertThat(SegmentAuditServiceTest.withoutRun(actual))
                .isEqualTo(SegmentAuditServiceTest.withoutRun(SegmentAuditSandboxTest.report(sequentialStore)));
    }

    private static int lastIndexWhere(List<ReadSlice> order, Predicate<ReadSlice> test) {
        for (int i = order.size() - 1; i >= 0; i--) {
            if (test.test(order.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** The injected workspace, recording the slice of every page read in the order the reads start. */
    private AuditWorkspace recordingReads(List<ReadSlice> order) {
        return new DelegatingAuditWorkspace(workspace) {
            @Override
            public ContactPage read(ReadSlice slice, String cursor) {
                order.add(slice);
                return super.read(slice, cursor);
            }
        };
    }

    /**
     * Reached once {@code calls} calls have started in this invocation (the audit asks before each call but the
     * first): the reads started just before are still in flight then, up to {@link #CONCURRENCY} of them.
     */
    static Deadline deadlineAfterCalls(int calls) {
        AtomicInteger asked = new AtomicInteger();
        return () -> asked.incrementAndGet() >= calls;
    }
}
