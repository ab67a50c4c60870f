package dev.contactfunctions.audit;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

import dev.contactfunctions.audit.AuditReport.Change;
import dev.contactfunctions.audit.AuditRun.Phase;
import dev.contactfunctions.deferral.DeferralException;
import dev.contactfunctions.intercom.IntercomException;
import dev.contactfunctions.intercom.model.Tag;
import dev.contactfunctions.ledger.IdentityBusyException;
import dev.contactfunctions.invocation.NotConfiguredException;
import dev.contactfunctions.identifiers.Pseudonyms;

/**
 * Runs the segment audit, resumably: list the segments (and the tags, if tag rules exist), then page through each
 * audited segment's members (search on {@code segment_id}, 150 a page), then page once through all contacts (150 a
 * page), both with up to {@code audit.concurrency} calls in flight ({@link ConcurrentReads}), then, in fix mode,
 * apply the planned changes one by one. It checks the deadline before each call; when reached (or when Intercom
 * stays unavailable) it saves the run as a checkpoint and writes a report marked partial; the next invocation
 * resumes from the checkpoint.
 *
 * <p>A fix interrupted by a failure the next run can get past (the person's identity busy in the ledger, DynamoDB or
 * SQS failing, Intercom unavailable, or Intercom refusing the token) is marked {@code interrupted} with the reason and
 * stops the run there: the checkpoint keeps the fixes done, and the next run retries that fix first. A refused token
 * (401/403) or a missing setting is a configuration problem: after saving, the invocation fails, so that its alarm
 * calls; anything else returns the partial summary and the next invocation resumes.
 *
 * <p>Read calls one at a time: at most ceil(contacts/150) + sum over audited segments of ceil(members/150) + one per
 * segment + 4 (one of them {@code GET /me}). Concurrently, each slice a long chain is split into adds at most two (a first page, a partial last).
 */
@ApplicationScoped
public class SegmentAuditService {

    private static final Logger LOG = Logger.getLogger(SegmentAuditService.class);

    private final AuditWorkspace workspace;
    private final AuditArchive archive;
    private final AuditMetrics metrics;
    private final Clock clock;
    private final Duration checkpointMaxAge;
    private final Pseudonyms pseudonyms;
    private final ConcurrentReads reads;

    @Inject
    SegmentAuditService(AuditWorkspace workspace, AuditArchive archive, AuditMetrics metrics, Clock clock,
            AuditConfig config, Pseudonyms pseudonyms) {
        this(workspace, archive, metrics, clock, config.checkpointMaxAge(), config.concurrency(), pseudonyms);
    }

    SegmentAuditService(AuditWorkspace workspace, AuditArchive archive, AuditMetrics metrics, Clock clock,
            Duration checkpointMaxAge, Pseudonyms pseudonyms) {
        this(workspace, archive, metrics, clock, checkpointMaxAge, 1, pseudonyms);
    }

    SegmentAuditService(AuditWorkspace workspace, AuditArchive archive, AuditMetrics metrics, Clock clock,
            Duration checkpointMaxAge, int concurrency, Pseudonyms pseudonyms) {
        this.pseudonyms = pseudonyms;
        this.workspace = workspace;
        this.archive = archive;
        this.metrics = metrics;
        this.clock = clock;
        this.checkpointMaxAge = checkpointMaxAge;
        this.reads = new ConcurrentReads(workspace, clock, concurrency, pseudonyms);
    }

    /**
     * Audits (or resumes the unfinished audit) until done or until the deadline, then stores the report. Always
     * makes progress: the first step runs even if the deadline has already passed.
     *
     * @throws IntercomException a failure that waiting will not cure (e.g. a revoked token), after saving the
     *         checkpoint and the partial report
     * @throws NotConfiguredException a missing setting (the Intercom token), after saving the same
     */
    public AuditSummary run(AuditOptions options, Deadline deadline) {
        AuditRun run = resumeOrStart(options);
        run.invocations++;
        String stopReason = null;
        RuntimeException failure = null;
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
        } catch (NotConfiguredException e) {
            stopReason = "not configured: " + e.setting();
            failure = e;
        } catch (IdentityBusyException | DeferralException | SdkException e) {
            stopReason = describe(e);
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
            LOG.errorf("segment-audit: run %s stopped (%s), a configuration problem that no retry cures: fix it and"
                    + " the next run resumes; checkpoint and partial report saved at %s", run.runId, stopReason,
                    locations.json());
            throw failure;
        }
        if (stopReason != null && !report.complete()) {
            LOG.warnf("segment-audit: run %s stopped (%s); checkpoint and partial report saved at %s, the next"
                    + " invocation resumes", run.runId, stopReason, locations.json());
        }
        return AuditSummary.of(report, locations);
    }

    private AuditRun resumeOrStart(AuditOptions options) {
        Optional<AuditCheckpoint> saved = archive.checkpoint();
        if (saved.isPresent()) {
            AuditCheckpoint checkpoint = saved.get();
            if (!options.fingerprint().equals(checkpoint.optionsFingerprint())) {
                LOG.infof("segment-audit: the options changed since run %s; starting a new run", checkpoint.runId());
            } else if (checkpoint.savedByAnOlderVersion()) {
                LOG.infof("segment-audit: run %s was saved by an older version mid-read; starting a new run",
                        checkpoint.runId());
            } else if (checkpoint.startedAt().plus(checkpointMaxAge).isBefore(clock.instant())) {
                LOG.infof("segment-audit: run %s started over %s ago; starting a new run", checkpoint.runId(),
                        checkpointMaxAge);
            } else {
                AuditRun run = checkpoint.toRun();
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
                CompletableFuture<Optional<ContactPages>> app = null;
                if (!run.workspaceAppAsked) {
                    run.apiCalls++;
                    // asked beside the listings, so that its round trip does not hold back the reads
                    app = CompletableFuture.supplyAsync(workspace.onReadingThread(this::contactPages));
                }
                run.apiCalls++;
                var segments = reads.inventoryCall(workspace::segments);
                List<Tag> tags = List.of();
                if (!options.rules().segmentTags().isEmpty()) {
                    run.apiCalls++;
                    tags = workspace.tags();
                }
                if (app != null) {
                    run.contactPages = joined(app).orElse(null);
                    run.workspaceAppAsked = true;
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

    private static <T> T joined(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Where the contacts' pages are, from {@code GET /me}. A refusal of that one call (other than of the token, which
     * every call needs) costs the report its links, not the run.
     */
    private Optional<ContactPages> contactPages() {
        try {
            return ContactPages.of(workspace.app());
        } catch (IntercomException e) {
            if (e.isTransient() || e instanceof IntercomException.Unauthorized) {
                throw e;
            }
            LOG.warnf("segment-audit: GET /me failed (%s); the report names contacts without links", describe(e));
            return Optional.empty();
        }
    }

    /**
     * Makes one planned change. A failure of that change alone (Intercom refused it, the contact is gone) is recorded
     * and the next change follows; a failure the next run can get past marks the change {@code interrupted} and stops
     * the run before it, so that the next run retries it.
     */
    private void apply(AuditRun run, int index) {
        Change change = run.changes.get(index);
        try {
            applyOnce(run, index);
        } catch (IntercomException e) {
            if (!e.isTransient() && !(e instanceof IntercomException.Unauthorized)) {
                run.changes.set(index, withStatus(change, "failed", describe(e)));
                return;
            }
            run.changes.set(index, withStatus(change, AuditReport.INTERRUPTED, describe(e)));
            throw e;
        } catch (NotConfiguredException e) {
            run.changes.set(index, withStatus(change, AuditReport.INTERRUPTED, "not configured: " + e.setting()));
            throw e;
        } catch (IdentityBusyException | DeferralException | SdkException e) {
            run.changes.set(index, withStatus(change, AuditReport.INTERRUPTED, describe(e)));
            throw e;
        }
    }

    private void applyOnce(AuditRun run, int index) {
        Change change = run.changes.get(index);
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

    /** Why a fix was interrupted, without the exception's message (an identity or a key may appear in it). */
    private static String describe(RuntimeException e) {
        if (e instanceof IntercomException intercom) {
            return describe(intercom);
        }
        if (e instanceof IdentityBusyException) {
            return "identity busy: another delivery for this person holds its identity in the ledger";
        }
        if (e instanceof DeferralException) {
            return "queue unavailable: " + (e.getCause() == null ? "DeferralException" : awsError(e.getCause()));
        }
        return "aws unavailable: " + awsError(e);
    }

    private static String awsError(Throwable e) {
        if (e instanceof AwsServiceException aws) {
            String code = aws.awsErrorDetails() == null ? null : aws.awsErrorDetails().errorCode();
            return aws.getClass().getSimpleName() + " " + aws.statusCode() + (code == null ? "" : " " + code);
        }
        return e.getClass().getSimpleName();
    }

    private static String describe(IntercomException e) {
        return e.getClass().getSimpleName() + (e.status() == 0 ? "" : " " + e.status())
                + (e.code() == null ? "" : " " + e.code());
    }
}
