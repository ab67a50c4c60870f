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
     * Merges the lead into the user through the identify-and-merge rules; answers why not when the lead was left
     * alone (already gone, no longer a lead, refused by Intercom).
     */
    MergeOutcome mergeLeadIntoUser(String leadId, String userId);

    record MergeOutcome(boolean merged, String reason) {
        public static MergeOutcome done() {
            return new MergeOutcome(true, null);
        }

        public static MergeOutcome skipped(String reason) {
            return new MergeOutcome(false, reason);
        }
    }
}
