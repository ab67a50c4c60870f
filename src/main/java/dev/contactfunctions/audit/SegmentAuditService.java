package dev.contactfunctions.audit;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.contactfunctions.audit.AuditReport.Change;
import dev.contactfunctions.audit.AuditRun.Phase;
import dev.contactfunctions.intercom.IntercomException;
import dev.contactfunctions.intercom.model.Tag;

/**
 * Runs the segment audit, resumably: list the segments (and the tags, if tag rules exist), then page through each
 * audited segment's members (search on {@code segment_id}, 150 a page), then page once through all contacts (150 a
 * page), both with up to {@code audit.concurrency} calls in flight ({@link ConcurrentReads}), then, in fix mode,
 * apply the planned changes one by one. It checks the deadline before each call; when reached (or when Intercom
 * stays unavailable) it saves the run as a checkpoint and writes a report marked partial; the next invocation
 * resumes from the checkpoint.
 *
 * <p>Read calls one at a time: at most ceil(contacts/150) + sum over audited segments of ceil(members/150) + one per
 * segment + 3. Concurrently, each slice a long chain is split into adds at most two (a first page, a partial last).
 */
@ApplicationScoped
public class SegmentAuditService {

    private static final Logger LOG = Logger.getLogger(SegmentAuditService.class);

    private final AuditWorkspace workspace;
    private final AuditArchive archive;
    private final AuditMetrics metrics;
    private final Clock clock;
    private final Duration checkpointMaxAge;
    private final ConcurrentReads reads;

    @Inject
    SegmentAuditService(AuditWorkspace workspace, AuditArchive archive, AuditMetrics metrics, Clock clock,
            AuditConfig config) {
        this(workspace, archive, metrics, clock, config.checkpointMaxAge(), config.concurrency());
    }

    SegmentAuditService(AuditWorkspace workspace, AuditArchive archive, AuditMetrics metrics, Clock clock,
            Duration checkpointMaxAge) {
        this(workspace, archive, metrics, clock, checkpointMaxAge, 1);
    }

    SegmentAuditService(AuditWorkspace workspace, AuditArchive archive, AuditMetrics metrics, Clock clock,
            Duration checkpointMaxAge, int concurrency) {
        this.workspace = workspace;
        this.archive = archive;
        this.metrics = metrics;
        this.clock = clock;
        this.checkpointMaxAge = checkpointMaxAge;
        this.reads = new ConcurrentReads(workspace, clock, concurrency);
    }

    /**
     * Audits (or resumes the unfinished audit) until done or until the deadline, then stores the report. Always
     * makes progress: the first step runs even if the deadline has already passed.
     *
     * @throws IntercomException a failure that waiting will not cure (e.g. a revoked token), after saving the
     *         checkpoint and the partial report
     */
    public AuditSummary run(AuditOptions options, Deadline deadline) {
        AuditRun run = resumeOrStart(options);
        run.invocations++;
        String stopReason = null;
        IntercomException failure = null;
        boolean progressed = false;
        try {
            while (run.phase != Phase.DONE) {
                if (progressed && deadline.reached()) {
                    stopReason = "deadline";
                    break;
                }
                step(run, options, deadline);
                progressed = true;
            }
        } catch (IntercomException e) {
            stopReason = (e.isTransient() ? "intercom unavailable: " : "intercom failed: ") + describe(e);
            if (!e.isTransient()) {
                failure = e;
            }
        }

        AuditReport report = run.toReport(options, archive.latestReport(), clock.instant(), stopReason);
        if (report.complete()) {
            archive.deleteCheckpoint();
        } else {
            archive.saveCheckpoint(run);
        }
        AuditArchive.Locations locations = archive.save(report);
        metrics.publish(report, locations);
        if (failure != null) {
            throw failure;
        }
        return AuditSummary.of(report, locations);
    }

    private AuditRun resumeOrStart(AuditOptions options) {
        Optional<AuditRun> saved = archive.checkpoint();
        if (saved.isPresent()) {
            AuditRun run = saved.get();
            if (!options.fingerprint().equals(run.optionsFingerprint)) {
                LOG.infof("segment-audit: the options changed since run %s; starting a new run", run.runId);
            } else if (run.reads == null) {
                LOG.infof("segment-audit: run %s was saved by an older version mid-read; starting a new run", run.runId);
            } else if (run.startedAt.plus(checkpointMaxAge).isBefore(clock.instant())) {
                LOG.infof("segment-audit: run %s started over %s ago; starting a new run", run.runId, checkpointMaxAge);
            } else {
                LOG.infof("segment-audit: resuming run %s in phase %s", run.runId, run.phase);
                return run;
            }
        }
        AuditRun run = AuditRun.start(clock.instant(), options);
        LOG.infof("segment-audit: starting run %s (mode %s%s)", run.runId, options.mode().wireName(),
                options.dryRun() ? ", dry run" : "");
        return run;
    }

    private void step(AuditRun run, AuditOptions options, Deadline deadline) {
        switch (run.phase) {
            case INVENTORY -> {
                run.apiCalls++;
                var segments = workspace.segments();
                List<Tag> tags = List.of();
                if (!options.rules().segmentTags().isEmpty()) {
                    run.apiCalls++;
                    tags = workspace.tags();
                }
                run.planSegments(segments, tags, options);
            }
            case SEGMENTS, CONTACTS -> reads.readPhase(run, options, deadline);
            case FIXES -> {
                if (run.changes == null) {
                    FixPlanner.plan(run, options);
                    if (options.dryRun()) {
                        run.phase = Phase.DONE;
                    }
                } else if (run.nextChange < run.changes.size()) {
                    apply(run, run.nextChange);
                    run.nextChange++;
                } else {
                    run.phase = Phase.DONE;
                }
            }
            case DONE -> {
                // nothing left
            }
        }
    }

    /** Makes one planned change; a failure that waiting will not cure is recorded and the next change follows. */
    private void apply(AuditRun run, int index) {
        Change change = run.changes.get(index);
        try {
            switch (change.action()) {
                case FixPlanner.MERGE_LEAD -> {
                    run.apiCalls++;
                    AuditWorkspace.MergeOutcome outcome = workspace.mergeLeadIntoUser(change.contactId(), change.intoUserId());
                    run.changes.set(index, withStatus(change, outcome.status(), outcome.reason()));
                    return;
                }
                case FixPlanner.CREATE_TAG -> {
                    run.apiCalls++;
                    Tag tag = workspace.createTag(change.tagName());
                    change = withTagId(change, tag.id());
                    resolveTag(run, change.tagName(), tag.id(), index + 1);
                }
                case FixPlanner.ADD_TAG -> {
                    if (change.tagId() == null) {
                        run.changes.set(index, withStatus(change, "failed", "tag '" + change.tagName() + "' could not be created"));
                        return;
                    }
                    run.apiCalls++;
                    workspace.tagContact(change.contactId(), change.tagId());
                }
                case FixPlanner.REMOVE_TAG -> {
                    run.apiCalls++;
                    workspace.untagContact(change.contactId(), change.tagId());
                }
                default -> throw new IllegalStateException("unknown change " + change.action());
            }
            run.changes.set(index, withStatus(change, "done", null));
        } catch (IntercomException e) {
            if (e.isTransient()) {
                throw e;
            }
            run.changes.set(index, withStatus(change, "failed", describe(e)));
        }
    }

    private static void resolveTag(AuditRun run, String tagName, String tagId, int from) {
        for (int i = from; i < run.changes.size(); i++) {
            Change later = run.changes.get(i);
            if (FixPlanner.ADD_TAG.equals(later.action()) && later.tagId() == null && tagName.equals(later.tagName())) {
                run.changes.set(i, withTagId(later, tagId));
            }
        }
    }

    private static Change withTagId(Change c, String tagId) {
        return new Change(c.action(), c.contactId(), c.intoUserId(), c.tagName(), tagId, c.status(), c.error());
    }

    private static Change withStatus(Change c, String status, String error) {
        return new Change(c.action(), c.contactId(), c.intoUserId(), c.tagName(), c.tagId(), status, error);
    }

    private static String describe(IntercomException e) {
        return e.getClass().getSimpleName() + (e.status() == 0 ? "" : " " + e.status())
                + (e.code() == null ? "" : " " + e.code());
    }
}
