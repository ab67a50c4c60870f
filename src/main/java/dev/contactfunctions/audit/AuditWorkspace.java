package dev.contactfunctions.audit;

import java.util.List;

import dev.contactfunctions.intercom.model.ContactPage;
import dev.contactfunctions.intercom.model.Segment;
import dev.contactfunctions.intercom.model.Tag;

/**
 * What the audit reads from and writes to the workspace, one method per Intercom call (so that the audit can
 * count and bound its calls). {@link IntercomAuditWorkspace} is the real one.
 */
public interface AuditWorkspace {

    /** Page size of every listing and search: Intercom's maximum. */
    int PAGE_SIZE = 150;

    /** Every segment, with Intercom's member count. */
    List<Segment> segments();

    List<Tag> tags();

    /** One page of the segment's members (search on {@code segment_id}); {@code cursor} null for the first. */
    ContactPage segmentMembers(String segmentId, String cursor);

    /** One page of all contacts; {@code cursor} null for the first. */
    ContactPage contacts(String cursor);

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
