package dev.contactfunctions.audit;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import dev.contactfunctions.intercom.RateLimitPacer;
import dev.contactfunctions.intercom.model.ContactPage;
import dev.contactfunctions.intercom.model.Segment;
import dev.contactfunctions.intercom.model.Tag;
import dev.contactfunctions.intercom.model.WorkspaceApp;

/**
 * What the audit reads from and writes to the workspace, one method per Intercom call (so that the audit can
 * count and bound its calls). {@link IntercomAuditWorkspace} is the real one.
 */
public interface AuditWorkspace {

    /** Page size of every listing and search: Intercom's maximum. */
    int PAGE_SIZE = 150;

    /** The workspace's app id and region ({@code GET /me}), for the links to contact pages; empty if Intercom names none. */
    Optional<WorkspaceApp> app();

    /** Every segment, with Intercom's member count. */
    List<Segment> segments();

    List<Tag> tags();

    /**
     * One page of the slice; {@code cursor} null for the first. The whole listing is {@code GET /contacts}; any
     * other slice is a search ({@code segment_id}, {@code role}, {@code created_at} range), sorted by
     * {@code created_at} ascending so that a first page names the slice's oldest contact.
     */
    ContactPage read(ReadSlice slice, String cursor);

    /**
     * The task, to run on one of the audit's reading threads within this invocation's limits (the Intercom
     * client's call budget is bound to the invoking thread).
     */
    default <T> Supplier<T> onReadingThread(Supplier<T> task) {
        return task;
    }

    /** The rate-limit window the calls see, for the reads' concurrency; empty for a workspace that has none. */
    default Optional<RateLimitPacer.State> rateLimitState() {
        return Optional.empty();
    }

    Tag createTag(String name);

    void tagContact(String contactId, String tagId);

    void untagContact(String contactId, String tagId);

    /**
     * Merges the lead into the user through the identify-and-merge rules; answers {@code skipped} with the reason
     * when there was nothing left to do (the lead already gone or no longer a lead), {@code failed} when the merge
     * was refused or the identity contradicts it.
     */
    MergeOutcome mergeLeadIntoUser(String leadId, String userId);

    /** {@code status} is {@code done}, {@code skipped} or {@code failed}; {@code reason} says why when not done. */
    record MergeOutcome(String status, String reason) {
        public static MergeOutcome done() {
            return new MergeOutcome("done", null);
        }

        public static MergeOutcome skipped(String reason) {
            return new MergeOutcome("skipped", reason);
        }

        public static MergeOutcome failed(String reason) {
            return new MergeOutcome("failed", reason);
        }
    }
}
