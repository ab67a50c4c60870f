package dev.contactfunctions.audit;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import dev.contactfunctions.intercom.RateLimitPacer;
import dev.contactfunctions.intercom.model.ContactPage;
import dev.contactfunctions.intercom.model.Segment;
import dev.contactfunctions.intercom.model.Tag;
import dev.contactfunctions.intercom.model.WorkspaceApp;

/** A workspace that passes every call to another: tests override the calls they watch or break. */
class DelegatingAuditWorkspace implements AuditWorkspace {

    private final AuditWorkspace delegate;

    DelegatingAuditWorkspace(AuditWorkspace delegate) {
        this.delegate = delegate;
    }

    @Override
    public Optional<WorkspaceApp> app() {
        return delegate.app();
    }

    @Override
    public List<Segment> segments() {
        return delegate.segments();
    }

    @Override
    public List<Tag> tags() {
        return delegate.tags();
    }

    @Override
    public ContactPage read(ReadSlice slice, String cursor) {
        return delegate.read(slice, cursor);
    }

    @Override
    public <T> Supplier<T> onReadingThread(Supplier<T> task) {
        return delegate.onReadingThread(task);
    }

    @Override
    public Optional<RateLimitPacer.State> rateLimitState() {
        return delegate.rateLimitState();
    }

    @Override
    public Tag createTag(String name) {
        return delegate.createTag(name);
    }

    @Override
    public void tagContact(String contactId, String tagId) {
        delegate.tagContact(contactId, tagId);
    }

    @Override
    public void untagContact(String contactId, String tagId) {
        delegate.untagContact(contactId, tagId);
    }

    @Override
    public MergeOutcome mergeLeadIntoUser(String leadId, String userId) {
        return delegate.mergeLeadIntoUser(leadId, userId);
    }
}
