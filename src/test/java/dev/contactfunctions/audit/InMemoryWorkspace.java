package dev.contactfunctions.audit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import dev.contactfunctions.intercom.IntercomException;
import dev.contactfunctions.intercom.model.Contact;
import dev.contactfunctions.intercom.model.ContactPage;
import dev.contactfunctions.intercom.model.Segment;
import dev.contactfunctions.intercom.model.Tag;
import dev.contactfunctions.intercom.model.WorkspaceApp;

/**
 * A workspace in memory for the audit's unit tests: contacts, segments as predicates, tags; pages of 150 with
 * opaque cursors; counts every call and records every write.
 */
final class InMemoryWorkspace implements AuditWorkspace {

    final Map<String, Contact> contacts = new LinkedHashMap<>();
    final Map<String, Segment> segments = new LinkedHashMap<>();
    final Map<String, Predicate<Contact>> membership = new HashMap<>();
    final Map<String, Tag> tags = new LinkedHashMap<>();
    final Map<String, Set<String>> tagsOfContact = new HashMap<>();
    final Map<String, Integer> calls = new LinkedHashMap<>();
    final List<String> writes = new ArrayList<>();
    /** The slices searched (every read but the listing), in call order. */
    final List<ReadSlice> reads = new ArrayList<>();
    /** When set, the call with this (1-based) number fails with this exception. */
    int failAtCall = -1;
    RuntimeException failure;
    /** When set, the merge call with this (1-based) number merges, then fails: the merge landed, its caller fails. */
    int failAfterMergeCall = -1;
    RuntimeException failureAfterMerge;
    private int tagSequence = 900;
    /** What {@code GET /me} answers: the app id and region of the workspace. */
    Optional<WorkspaceApp> app = Optional.of(new WorkspaceApp(APP_ID, "US"));
    /** {@code GET /me} calls, kept apart from {@link #calls} so that {@link #failAtCall} numbers the other calls. */
    int appLookups;

    static final String APP_ID = "abc123de";

    InMemoryWorkspace add(Contact contact) {
        contacts.put(contact.id(), contact);
        for (Contact.TagRef ref : contact.tagRefs()) {
            tagsOfContact.computeIfAbsent(contact.id(), k -> new LinkedHashSet<>()).add(ref.id());
        }
        return this;
    }

    InMemoryWorkspace segment(String id, String name, String personType, Predicate<Contact> members) {
        segments.put(id, new Segment(id, name, personType, null, 1L, 1L));
        membership.put(id, members);
        return this;
    }

    InMemoryWorkspace tag(String id, String name) {
        tags.put(id, new Tag(id, name));
        return this;
    }

    int totalCalls() {
        return calls.values().stream().mapToInt(Integer::intValue).sum();
    }

    int reads() {
        return appLookups + calls.getOrDefault("segments", 0) + calls.getOrDefault("tags", 0)
                + calls.getOrDefault("segmentMembers", 0) + calls.getOrDefault("contacts", 0);
    }

    private void count(String call) {
        calls.merge(call, 1, Integer::sum);
        if (failAtCall == totalCalls()) {
            throw failure;
        }
    }

    @Override
    public Optional<WorkspaceApp> app() {
        appLookups++;
        return app;
    }

    @Override
    public List<Segment> segments() {
        count("segments");
        return segments.values().stream().map(s -> new Segment(s.id(), s.name(), s.personType(),
                (int) current().stream().filter(membership.get(s.id())).count(), s.createdAt(), s.updatedAt())).toList();
    }

    @Override
    public List<Tag> tags() {
        count("tags");
        return List.copyOf(tags.values());
    }

    /** The listing in insertion order; a search sorted by {@code created_at}, days matched as Intercom does (UTC). */
    @Override
    public synchronized ContactPage read(ReadSlice slice, String cursor) {
        if (slice.isListing()) {
            count("contacts");
            return page(current(), cursor);
        }
        count(slice.segmentId() == null ? "contacts" : "segmentMembers");
        reads.add(slice);
        return page(current().stream()
                .filter(c -> slice.segmentId() == null || membership.get(slice.segmentId()).test(c))
                .filter(c -> slice.role() == null || slice.role().equals(c.role()))
                .filter(c -> slice.fromDay() == null
                        || ReadSlice.dayOf(c.createdAt()) > ReadSlice.dayOf(ReadSlice.boundary(slice.fromDay() - 1)))
                .filter(c -> slice.toDay() == null
                        || ReadSlice.dayOf(c.createdAt()) < ReadSlice.dayOf(ReadSlice.boundary(slice.toDay())))
                .sorted(Comparator.comparing(Contact::createdAt, Comparator.nullsFirst(Comparator.<Long>naturalOrder()))
                        .thenComparing(Contact::id))
                .toList(), cursor);
    }

    @Override
    public Tag createTag(String name) {
        count("createTag");
        Tag tag = new Tag(String.valueOf(++tagSequence), name);
        tags.put(tag.id(), tag);
        writes.add("create-tag " + name);
        return tag;
    }

    @Override
    public void tagContact(String contactId, String tagId) {
        count("tagContact");
        requireContact(contactId);
        tagsOfContact.computeIfAbsent(contactId, k -> new LinkedHashSet<>()).add(tagId);
        writes.add("add-tag " + contactId + " " + tagId);
    }

    @Override
    public void untagContact(String contactId, String tagId) {
        count("untagContact");
        requireContact(contactId);
        tagsOfContact.getOrDefault(contactId, new LinkedHashSet<>()).remove(tagId);
        writes.add("remove-tag " + contactId + " " + tagId);
    }

    @Override
    public MergeOutcome mergeLeadIntoUser(String leadId, String userId) {
        count("merge");
        if (!contacts.containsKey(leadId)) {
            return MergeOutcome.skipped("gone");
        }
        contacts.remove(leadId);
        writes.add("merge-lead " + leadId + " " + userId);
        if (failAfterMergeCall == totalCalls()) {
            throw failureAfterMerge;
        }
        return MergeOutcome.done();
    }

    private void requireContact(String id) {
        if (!contacts.containsKey(id)) {
            throw new IntercomException.NotFound("not_found", "User Not Found", null);
        }
    }

    /** The contacts as Intercom would answer them now: current tags embedded (up to 10, with has_more). */
    private List<Contact> current() {
        return contacts.values().stream().map(c -> {
            List<String> ids = new ArrayList<>(tagsOfContact.getOrDefault(c.id(), Set.of()));
            List<Contact.TagRef> refs = ids.stream().limit(10).map(id -> new Contact.TagRef(id, null)).toList();
            return new Contact(c.id(), c.role(), c.externalId(), c.email(), c.phone(), c.name(), c.createdAt(),
                    c.updatedAt(), c.signedUpAt(), c.lastSeenAt(), c.customAttributes(),
                    new Contact.TagRefs(refs, ids.size(), ids.size() > 10));
        }).toList();
    }

    private static ContactPage page(List<Contact> all, String cursor) {
        int from = cursor == null ? 0 : Integer.parseInt(cursor.substring("after-".length()));
        int to = Math.min(all.size(), from + PAGE_SIZE);
        ContactPage.Pages.Next next = to < all.size() ? new ContactPage.Pages.Next(null, "after-" + to) : null;
        return new ContactPage(all.subList(from, to), all.size(),
                new ContactPage.Pages(from / PAGE_SIZE + 1, PAGE_SIZE, (all.size() + PAGE_SIZE - 1) / PAGE_SIZE, next));
    }
}
