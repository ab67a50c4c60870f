package dev.contactfunctions.audit;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.contactfunctions.intercom.IntercomClient;
import dev.contactfunctions.intercom.model.ContactPage;
import dev.contactfunctions.intercom.model.Segment;
import dev.contactfunctions.intercom.model.Tag;
import dev.contactfunctions.intercom.search.SearchFilter;
import dev.contactfunctions.intercom.search.SearchQuery;

/** The audit's view of the workspace, on the shared client (its retries, pacing and call budget). */
@ApplicationScoped
class IntercomAuditWorkspace implements AuditWorkspace {

    private final IntercomClient intercom;

    IntercomAuditWorkspace(IntercomClient intercom) {
        this.intercom = intercom;
    }

    @Override
    public List<Segment> segments() {
        return intercom.listSegments(true);
    }

    @Override
    public List<Tag> tags() {
        return intercom.listTags();
    }

    @Override
    public ContactPage segmentMembers(String segmentId, String cursor) {
        return intercom.searchContactsPage(SearchQuery.of(SearchFilter.field("segment_id").eq(segmentId)), PAGE_SIZE,
                cursor);
    }

    @Override
    public ContactPage contacts(String cursor) {
        return intercom.listContactsPage(PAGE_SIZE, cursor);
    }

    @Override
    public Tag createTag(String name) {
        return intercom.createTag(name);
    }

    @Override
    public void tagContact(String contactId, String tagId) {
        intercom.tagContact(contactId, tagId);
    }

    @Override
    public void untagContact(String contactId, String tagId) {
        intercom.untagContact(contactId, tagId);
    }

    @Override
    public MergeOutcome mergeLeadIntoUser(String leadId, String userId) {
        // fix mode goes through the identify-and-merge service once it is on main (issue-identity)
        throw new UnsupportedOperationException("lead merges arrive with the identify-and-merge service");
    }
}
