package dev.contactfunctions.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.contactfunctions.identity.IdentifyMergeService;
import dev.contactfunctions.identity.IdentityConflictException;
import dev.contactfunctions.identity.MergeLeads;
import dev.contactfunctions.identity.MergeResult;
import dev.contactfunctions.identity.SkippedLead;
import dev.contactfunctions.intercom.CallBudget;
import dev.contactfunctions.intercom.IntercomClient;
import dev.contactfunctions.intercom.RateLimitPacer;
import dev.contactfunctions.intercom.model.Contact;
import dev.contactfunctions.intercom.model.ContactPage;
import dev.contactfunctions.intercom.model.Segment;
import dev.contactfunctions.intercom.model.Tag;
import dev.contactfunctions.intercom.model.WorkspaceApp;
import dev.contactfunctions.intercom.search.SearchFilter;
import dev.contactfunctions.intercom.search.SearchQuery;
import dev.contactfunctions.intercom.search.Sort;
import dev.contactfunctions.invocation.InvocationDeadline;

/**
 * The audit's view of the workspace, on the shared client (its retries, pacing and call budget). Every call leaves
 * {@code audit.live-traffic-share} of each rate-limit window to live traffic.
 */
@ApplicationScoped
class IntercomAuditWorkspace implements AuditWorkspace {

    private final IntercomClient intercom;
    private final IdentifyMergeService identity;
    private final CallBudget budget;
    private final double liveTrafficShare;

    @Inject
    IntercomAuditWorkspace(IntercomClient intercom, IdentifyMergeService identity, CallBudget budget,
            AuditConfig config) {
        this(intercom, identity, budget, config.liveTrafficShare());
    }

    IntercomAuditWorkspace(IntercomClient intercom, IdentifyMergeService identity, CallBudget budget,
            double liveTrafficShare) {
        if (!(liveTrafficShare >= 0 && liveTrafficShare < 1)) {
            throw new IllegalArgumentException("audit.live-traffic-share (AUDIT_LIVE_TRAFFIC_SHARE) is from 0 to"
                    + " below 1, got " + liveTrafficShare);
        }
        this.intercom = intercom;
        this.identity = identity;
        this.budget = budget;
        this.liveTrafficShare = liveTrafficShare;
    }

    private <T> T leavingLiveShare(Supplier<T> call) {
        return RateLimitPacer.leavingLiveShare(liveTrafficShare, call).get();
    }

    @Override
    public Optional<RateLimitPacer.State> rateLimitState() {
        return Optional.of(intercom.rateLimitState());
    }

    @Override
    public Optional<WorkspaceApp> app() {
        return intercom.workspaceApp();
    }

    @Override
    public List<Segment> segments() {
        return leavingLiveShare(() -> intercom.listSegments(true));
    }

    @Override
    public List<Tag> tags() {
        return leavingLiveShare(intercom::listTags);
    }

    @Override
    public ContactPage read(ReadSlice slice, String cursor) {
        return leavingLiveShare(() -> readPage(slice, cursor));
    }

    private ContactPage readPage(ReadSlice slice, String cursor) {
        if (slice.isListing()) {
            return intercom.listContactsPage(PAGE_SIZE, cursor);
        }
        List<SearchFilter> filters = new ArrayList<>();
        if (slice.segmentId() != null) {
            filters.add(SearchFilter.field("segment_id").eq(slice.segmentId()));
        }
        if (slice.role() != null) {
            filters.add(SearchFilter.field("role").eq(slice.role()));
        }
        if (slice.fromDay() != null) { // ">" matches from the next day on
            filters.add(SearchFilter.field("created_at").gt(ReadSlice.boundary(slice.fromDay() - 1)));
        }
        if (slice.toDay() != null) { // "<" matches the days before
            filters.add(SearchFilter.field("created_at").lt(ReadSlice.boundary(slice.toDay())));
        }
        SearchFilter query = filters.size() == 1 ? filters.get(0) : SearchFilter.and(filters);
        return intercom.searchContactsPage(SearchQuery.of(query).sortedBy("created_at", Sort.Order.ascending),
                PAGE_SIZE, cursor);
    }

    @Override
    public <T> Supplier<T> onReadingThread(Supplier<T> task) {
        return InvocationDeadline.carriedOver(task);
    }

    @Override
    public Tag createTag(String name) {
        return leavingLiveShare(() -> intercom.createTag(name));
    }

    @Override
    public void tagContact(String contactId, String tagId) {
        leavingLiveShare(() -> intercom.tagContact(contactId, tagId));
    }

    @Override
    public void untagContact(String contactId, String tagId) {
        leavingLiveShare(() -> intercom.untagContact(contactId, tagId));
    }

    /**
     * Reads the user (the identify-and-merge service needs it whole), then has the service merge this lead, and only
     * this one (cap 1, the given lead first), with its usual carry-over of the lead's attributes the user lacks.
     */
    @Override
    public MergeOutcome mergeLeadIntoUser(String leadId, String userId) {
        return leavingLiveShare(() -> merge(leadId, userId));
    }

    private MergeOutcome merge(String leadId, String userId) {
        Optional<Contact> user = intercom.findExistingContact(userId);
        if (user.isEmpty()) {
            return MergeOutcome.failed("user " + userId + " is gone");
        }
        if (!user.get().isUser()) {
            return MergeOutcome.failed("contact " + userId + " is not a user");
        }
        try {
            MergeResult result = identity.mergeLeadsInto(
                    MergeLeads.of(user.get(), user.get().email(), 1).withLead(leadId));
            if (result.mergedLeadIds().contains(leadId)) {
                return MergeOutcome.done();
            }
            return result.skipped().stream().filter(s -> leadId.equals(s.id())).findFirst()
                    .map(s -> s.reason() == SkippedLead.Reason.MERGE_REFUSED
                            ? MergeOutcome.failed("merge refused by Intercom")
                            : MergeOutcome.skipped(s.reason().wire()))
                    .orElseGet(() -> MergeOutcome.skipped("not found among the user's leads"));
        } catch (IdentityConflictException e) {
            return MergeOutcome.failed(e.code() + ": " + e.getMessage());
        }
    }
}
