package dev.contactfunctions.intercom;

import java.time.Clock;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.contactfunctions.intercom.GuardedCalls.Idempotency;
import dev.contactfunctions.intercom.model.Contact;
import dev.contactfunctions.intercom.model.ContactPage;
import dev.contactfunctions.intercom.model.ContactRequest;
import dev.contactfunctions.intercom.model.ContactStatus;
import dev.contactfunctions.intercom.model.CreateDataAttributeRequest;
import dev.contactfunctions.intercom.model.DataAttribute;
import dev.contactfunctions.intercom.model.DataType;
import dev.contactfunctions.intercom.model.MergeRequest;
import dev.contactfunctions.intercom.model.Segment;
import dev.contactfunctions.intercom.model.Tag;
import dev.contactfunctions.intercom.model.TagRequests;
import dev.contactfunctions.intercom.model.WorkspaceApp;
import dev.contactfunctions.intercom.search.SearchQuery;

/**
 * The one way the functions talk to Intercom. Every call goes through one SmallRye Fault Tolerance guard (retry
 * with backoff and jitter, 429 waits until the window resets, a circuit breaker), is paced from the rate-limit
 * headers, and stays within the invocation's {@link CallBudget} ({@link GuardedCalls}). Failures surface as typed
 * {@link IntercomException}s.
 */
@ApplicationScoped
public class IntercomClient {

    /** Circuit breaker name, for {@code CircuitBreakerMaintenance}. */
    public static final String CIRCUIT_BREAKER = "intercom";
    public static final int MAX_PER_PAGE = 150;

    private final IntercomApi api;
    private final RateLimitPacer pacer;
    private final GuardedCalls calls;

    IntercomClient(@RestClient IntercomApi api, CallBudget budget, RateLimitPacer pacer, IntercomConfig config,
            Clock clock) {
        this.api = api;
        this.pacer = pacer;
        this.calls = new GuardedCalls(budget, pacer, config, clock);
    }

    // ---- the workspace

    /** The workspace the token belongs to ({@code GET /me}); empty when Intercom's answer names no app. */
    public Optional<WorkspaceApp> workspaceApp() {
        return Optional.ofNullable(calls.call(Idempotency.SAFE, api::me).app());
    }

    // ---- contacts

    /**
     * Creates a contact. A user create is retried on server errors because a repeat answers 409 naming the
     * contact; a lead create is not (leads may share an email, so a repeat could duplicate), except after a 429.
     */
    public Contact createContact(ContactRequest request) {
        boolean checkable = !Contact.ROLE_LEAD.equals(request.role());
        return calls.call(checkable ? Idempotency.SAFE : Idempotency.UNSAFE, () -> api.createContact(request));
    }

    public Optional<Contact> findContact(String id) {
        return calls.optional(() -> api.getContact(id));
    }

    /** The contact, or empty when there is none: not found (404), or gone (410: merged away or deleted). */
    public Optional<Contact> findExistingContact(String id) {
        try {
            return findContact(id);
        } catch (IntercomException.Gone e) {
            return Optional.empty();
        }
    }

    /** The user with this {@code external_id} (a direct read, no search lag); leads cannot have one. */
    public Optional<Contact> findUserByExternalId(String externalId) {
        return calls.optional(() -> api.findByExternalId(externalId));
    }

    /** Partial update: only the non-null fields of the request are sent. */
    public Contact updateContact(String id, ContactRequest request) {
        return calls.call(Idempotency.SAFE, () -> api.updateContact(id, request));
    }

    public ContactStatus deleteContact(String id) {
        return calls.call(Idempotency.SAFE, () -> api.deleteContact(id));
    }

    public ContactStatus archiveContact(String id) {
        return calls.call(Idempotency.SAFE, () -> api.archiveContact(id));
    }

    public ContactStatus unarchiveContact(String id) {
        return calls.call(Idempotency.SAFE, () -> api.unarchiveContact(id));
    }

    /**
     * Merges a lead into a user and answers the user. Retried on server errors: a lead already merged answers 404,
     * which the caller verifies as done.
     */
    public Contact mergeLeadIntoUser(String leadId, String userId) {
        return calls.call(Idempotency.SAFE, () -> api.mergeContacts(new MergeRequest(leadId, userId)));
    }

    // ---- listing and search

    /** One page of all contacts; the cursor travels in the query string. */
    public ContactPage listContactsPage(int perPage, String cursor) {
        checkPageSize(perPage);
        return calls.call(Idempotency.SAFE, () -> api.listContacts(perPage, cursor));
    }

    /** Every contact, fetched page by page as the stream is consumed. */
    public Stream<Contact> listAllContacts(int perPage) {
        checkPageSize(perPage);
        return contacts(cursor -> listContactsPage(perPage, cursor));
    }

    /** One page of a search; the cursor travels in the body. */
    public ContactPage searchContactsPage(SearchQuery query, int perPage, String cursor) {
        checkPageSize(perPage);
        SearchRequest body = new SearchRequest(query.filter(), new SearchRequest.Pagination(perPage, cursor),
                query.sort().orElse(null));
        return calls.call(Idempotency.SAFE, () -> api.searchContacts(body));
    }

    /** A search whose pages are fetched as they are read; the first page also gives {@code total_count}. */
    public ContactSearch search(SearchQuery query, int perPage) {
        checkPageSize(perPage);
        return new ContactSearch(cursor -> searchContactsPage(query, perPage, cursor));
    }

    public ContactSearch search(SearchQuery query) {
        return search(query, MAX_PER_PAGE);
    }

    // ---- segments

    public List<Segment> listSegments(boolean includeCount) {
        return calls.call(Idempotency.SAFE, () -> api.listSegments(includeCount)).all();
    }

    public List<Segment> listContactSegments(String contactId) {
        return calls.call(Idempotency.SAFE, () -> api.listContactSegments(contactId)).all();
    }

    // ---- tags

    public List<Tag> listTags() {
        return calls.call(Idempotency.SAFE, api::listTags).tags();
    }

    /** Creates the tag, or answers the existing one of that name (Intercom matches names case-insensitively). */
    public Tag createTag(String name) {
        return calls.call(Idempotency.SAFE, () -> api.createOrUpdateTag(new TagRequests.CreateOrUpdate(name, null)));
    }

    public Tag renameTag(String id, String newName) {
        return calls.call(Idempotency.SAFE, () -> api.createOrUpdateTag(new TagRequests.CreateOrUpdate(newName, id)));
    }

    public Tag tagContact(String contactId, String tagId) {
        return calls.call(Idempotency.SAFE, () -> api.tagContact(contactId, new TagRequests.TagContact(tagId)));
    }

    public Tag untagContact(String contactId, String tagId) {
        return calls.call(Idempotency.SAFE, () -> api.untagContact(contactId, tagId));
    }

    // ---- data attributes

    /** The contact data attributes of the workspace, standard and custom. */
    public List<DataAttribute> listContactDataAttributes() {
        return calls.call(Idempotency.SAFE, () -> api.listDataAttributes("contact")).attributes();
    }

    /**
     * Creates a contact data attribute. Retried on server errors: a repeat answers 400 "You already have ...",
     * which callers treat as already created.
     */
    public DataAttribute createContactDataAttribute(String name, DataType type, String description) {
        return calls.call(Idempotency.SAFE,
                () -> api.createDataAttribute(CreateDataAttributeRequest.contact(name, type, description)));
    }

    /** The rate-limit window as last reported, and the calls that waited for it or were refused. */
    public RateLimitPacer.State rateLimitState() {
        return pacer.state();
    }

    private static void checkPageSize(int perPage) {
        if (perPage < 1 || perPage > MAX_PER_PAGE) {
            throw new IllegalArgumentException("per_page must be between 1 and " + MAX_PER_PAGE + ", got " + perPage);
        }
    }

    private static Stream<Contact> contacts(Function<String, ContactPage> fetch) {
        return pages(fetch, null).flatMap(page -> page.contacts().stream());
    }

    /** Pages fetched one at a time as the stream is read: the first without a cursor, each next with the last one's. */
    static Stream<ContactPage> pages(Function<String, ContactPage> fetch, ContactPage first) {
        Iterator<ContactPage> iterator = new Iterator<>() {
            private ContactPage buffered = first;
            private boolean started = first != null;
            private String cursor;
            private boolean exhausted;

            @Override
            public boolean hasNext() {
                if (buffered == null && !exhausted) {
                    buffered = fetch.apply(started ? cursor : null);
                    started = true;
                }
                return buffered != null;
            }

            @Override
            public ContactPage next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ContactPage page = buffered;
                buffered = null;
                Optional<String> next = page.nextCursor();
                next.ifPresent(c -> cursor = c);
                exhausted = next.isEmpty();
                return page;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED), false);
    }

    /** A lazily paged search: {@link #totalCount()} fetches the first page if needed, the stream reuses it. */
    public static final class ContactSearch {
        private final Function<String, ContactPage> fetch;
        private ContactPage first;

        ContactSearch(Function<String, ContactPage> fetch) {
            this.fetch = fetch;
        }

        public int totalCount() {
            ContactPage page = firstPage();
            return page.totalCount() == null ? page.contacts().size() : page.totalCount();
        }

        public ContactPage firstPage() {
            if (first == null) {
                first = fetch.apply(null);
            }
            return first;
        }

        public Stream<Contact> stream() {
            return pages(fetch, first).flatMap(page -> page.contacts().stream());
        }
    }
}
