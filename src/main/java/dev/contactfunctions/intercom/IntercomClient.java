package dev.contactfunctions.intercom;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.contactfunctions.intercom.IntercomException.Unavailable.Reason;
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
import io.smallrye.faulttolerance.api.Guard;

/**
 * The one way the functions talk to Intercom. Every call goes through one SmallRye Fault Tolerance guard (retry
 * with backoff and jitter, 429 waits until the window resets, a circuit breaker), is paced from the rate-limit
 * headers, and stays within the invocation's {@link CallBudget}. Failures surface as typed
 * {@link IntercomException}s.
 */
@ApplicationScoped
public class IntercomClient {

    /** Circuit breaker name, for {@code CircuitBreakerMaintenance}. */
    public static final String CIRCUIT_BREAKER = "intercom";
    public static final int MAX_PER_PAGE = 150;

    /** Runs the attempts that must end before the client's own timeouts would (see {@link #bounded}). */
    private static final ExecutorService BOUNDED_CALLS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "intercom-bounded-call");
        thread.setDaemon(true);
        return thread;
    });

    private final IntercomApi api;
    private final CallBudget budget;
    private final RateLimitPacer pacer;
    private final RetryDelays delays;
    private final Clock clock;
    private final Guard guard;
    private final ThreadLocal<int[]> attempts = ThreadLocal.withInitial(() -> new int[1]);

    IntercomClient(@RestClient IntercomApi api, CallBudget budget, RateLimitPacer pacer, IntercomConfig config,
            Clock clock) {
        this.api = api;
        this.budget = budget;
        this.pacer = pacer;
        this.clock = clock;
        this.delays = new RetryDelays(clock, config.retry());
        IntercomConfig.CircuitBreaker breaker = config.circuitBreaker();
        this.guard = Guard.create()
                .withDescription("Intercom API")
                .withRetry()
                    .maxRetries(config.retry().maxRetries())
                    .maxDuration(1, ChronoUnit.HOURS) // the invocation budget is the real bound
                    .whenException(this::worthRetrying)
                    .withCustomBackoff().strategy(delays::strategy).done()
                    .done()
                .withCircuitBreaker()
                    .name(CIRCUIT_BREAKER)
                    .requestVolumeThreshold(breaker.requestVolumeThreshold())
                    .failureRatio(breaker.failureRatio())
                    .delay(breaker.delay().toMillis(), ChronoUnit.MILLIS)
                    .when(IntercomClient::isOutage)
                    .done()
                .build();
    }

    // ---- the workspace

    /** The workspace the token belongs to ({@code GET /me}); empty when Intercom's answer names no app. */
    public Optional<WorkspaceApp> workspaceApp() {
        return Optional.ofNullable(call(Idempotency.SAFE, api::me).app());
    }

    // ---- contacts

    /**
     * Creates a contact. A user create is retried on server errors because a repeat answers 409 naming the
     * contact; a lead create is not (leads may share an email, so a repeat could duplicate), except after a 429.
     */
    public Contact createContact(ContactRequest request) {
        boolean checkable = !Contact.ROLE_LEAD.equals(request.role());
        return call(checkable ? Idempotency.SAFE : Idempotency.UNSAFE, () -> api.createContact(request));
    }

    public Optional<Contact> findContact(String id) {
        return optional(() -> api.getContact(id));
    }

    /** The user with this {@code external_id} (a direct read, no search lag); leads cannot have one. */
    public Optional<Contact> findUserByExternalId(String externalId) {
        return optional(() -> api.findByExternalId(externalId));
    }

    /** Partial update: only the non-null fields of the request are sent. */
    public Contact updateContact(String id, ContactRequest request) {
        return call(Idempotency.SAFE, () -> api.updateContact(id, request));
    }

    public ContactStatus deleteContact(String id) {
        return call(Idempotency.SAFE, () -> api.deleteContact(id));
    }

    public ContactStatus archiveContact(String id) {
        return call(Idempotency.SAFE, () -> api.archiveContact(id));
    }

    public ContactStatus unarchiveContact(String id) {
        return call(Idempotency.SAFE, () -> api.unarchiveContact(id));
    }

    /**
     * Merges a lead into a user and answers the user. Retried on server errors: a lead already merged answers 404,
     * which the caller verifies as done.
     */
    public Contact mergeLeadIntoUser(String leadId, String userId) {
        return call(Idempotency.SAFE, () -> api.mergeContacts(new MergeRequest(leadId, userId)));
    }

    // ---- listing and search

    /** One page of all contacts; the cursor travels in the query string. */
    public ContactPage listContactsPage(int perPage, String cursor) {
        checkPageSize(perPage);
        return call(Idempotency.SAFE, () -> api.listContacts(perPage, cursor));
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
        return call(Idempotency.SAFE, () -> api.searchContacts(body));
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
        return call(Idempotency.SAFE, () -> api.listSegments(includeCount)).all();
    }

    public List<Segment> listContactSegments(String contactId) {
        return call(Idempotency.SAFE, () -> api.listContactSegments(contactId)).all();
    }

    // ---- tags

    public List<Tag> listTags() {
        return call(Idempotency.SAFE, api::listTags).tags();
    }

    /** Creates the tag, or answers the existing one of that name (Intercom matches names case-insensitively). */
    public Tag createTag(String name) {
        return call(Idempotency.SAFE, () -> api.createOrUpdateTag(new TagRequests.CreateOrUpdate(name, null)));
    }

    public Tag renameTag(String id, String newName) {
        return call(Idempotency.SAFE, () -> api.createOrUpdateTag(new TagRequests.CreateOrUpdate(newName, id)));
    }

    public Tag tagContact(String contactId, String tagId) {
        return call(Idempotency.SAFE, () -> api.tagContact(contactId, new TagRequests.TagContact(tagId)));
    }

    public Tag untagContact(String contactId, String tagId) {
        return call(Idempotency.SAFE, () -> api.untagContact(contactId, tagId));
    }

    // ---- data attributes

    /** The contact data attributes of the workspace, standard and custom. */
    public List<DataAttribute> listContactDataAttributes() {
        return call(Idempotency.SAFE, () -> api.listDataAttributes("contact")).attributes();
    }

    /**
     * Creates a contact data attribute. Retried on server errors: a repeat answers 400 "You already have ...",
     * which callers treat as already created.
     */
    public DataAttribute createContactDataAttribute(String name, DataType type, String description) {
        return call(Idempotency.SAFE,
                () -> api.createDataAttribute(CreateDataAttributeRequest.contact(name, type, description)));
    }

    /** The rate-limit window as last reported, and the calls that waited for it or were refused. */
    public RateLimitPacer.State rateLimitState() {
        return pacer.state();
    }

    // ---- the guarded call

    private enum Idempotency {
        /** Repeating the call is harmless, or its outcome can be checked afterwards. */
        SAFE,
        /** Repeat only when Intercom certainly did not process it (429). */
        UNSAFE
    }

    private <T> Optional<T> optional(Supplier<T> call) {
        try {
            return Optional.of(call(Idempotency.SAFE, call));
        } catch (IntercomException.NotFound e) {
            return Optional.empty();
        }
    }

    @SuppressWarnings("unchecked")
    private <T> T call(Idempotency idempotency, Supplier<T> call) {
        int[] count = attempts.get();
        int outer = count[0];
        count[0] = 0;
        try {
            return (T) guard.get(() -> attempt(idempotency, call), Object.class);
        } catch (CircuitBreakerOpenException e) {
            throw new IntercomException.Unavailable(Reason.CIRCUIT_OPEN,
                    "Intercom circuit breaker is open after repeated failures", e);
        } finally {
            count[0] = outer;
        }
    }

    private <T> T attempt(Idempotency idempotency, Supplier<T> call) {
        attempts.get()[0]++;
        Duration pace = pacer.reserveCall();
        try {
            return paced(idempotency, call, pace);
        } finally {
            pacer.release();
        }
    }

    private <T> T paced(Idempotency idempotency, Supplier<T> call, Duration pace) {
        if (!pace.isZero()) {
            waitWithinBudget(pace);
            waitWithinBudget(pacer.afterWait());
        }
        Duration limit = budget.attemptLimit();
        if (limit.isZero()) {
            throw new IntercomException.Unavailable(Reason.BUDGET_SPENT, "No time left in this invocation", null)
                    .forbidRetry();
        }
        boolean cutShort = limit.compareTo(budget.fullAttempt()) < 0;
        if (idempotency == Idempotency.UNSAFE && cutShort) {
            // a write that cannot be repeated is never cut short: given up on, it might still land (an unknown
            // outcome to settle later); not started, it certainly did not
            throw new IntercomException.Unavailable(Reason.BUDGET_SPENT,
                    "Too little time left in this invocation for a write that cannot be repeated", null).forbidRetry();
        }
        try {
            return cutShort ? bounded(call, limit) : call.get();
        } catch (IntercomException e) {
            if (idempotency == Idempotency.UNSAFE && !(e instanceof IntercomException.RateLimited)) {
                e.forbidRetry();
            }
            throw e;
        } catch (ProcessingException | WebApplicationException e) {
            IntercomException failure = new IntercomException.Unavailable(
                    isTimeout(e) ? Reason.TIMEOUT : Reason.IO_ERROR, "Intercom could not be reached: " + rootMessage(e), e);
            throw idempotency == Idempotency.UNSAFE ? failure.forbidRetry() : failure;
        }
    }

    /**
     * An attempt with less time left than the client's connect and read timeouts: it runs on another thread and is
     * given up when the time is spent. Intercom may still process a request given up on: the caller sees a timeout,
     * an unknown outcome, exactly as when the client's own read timeout ends the wait.
     */
    private static <T> T bounded(Supplier<T> call, Duration limit) {
        CompletableFuture<T> attempt = CompletableFuture.supplyAsync(CallBudget.carriedOver(call), BOUNDED_CALLS);
        try {
            return attempt.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            attempt.cancel(true);
            throw new IntercomException.Unavailable(Reason.TIMEOUT,
                    "Intercom did not answer within the " + limit.toMillis() + " ms left in this invocation", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            attempt.cancel(true);
            throw new IntercomException.Unavailable(Reason.BUDGET_SPENT, "Interrupted while waiting for Intercom", e);
        }
    }

    private boolean worthRetrying(Throwable failure) {
        if (!(failure instanceof IntercomException intercom) || !intercom.retryPermitted()) {
            return false;
        }
        if (delays.rateLimitWaitTooLong(failure)) {
            return false;
        }
        int retry = attempts.get()[0];
        return budget.allows(delays.worstCase(retry, failure));
    }

    private static boolean isOutage(Throwable failure) {
        return failure instanceof IntercomException.ServerError
                || failure instanceof IntercomException.Unavailable unavailable
                        && (unavailable.reason() == Reason.IO_ERROR || unavailable.reason() == Reason.TIMEOUT);
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " " + root.getMessage());
    }

    private void waitWithinBudget(Duration pace) {
        if (pace.isZero()) {
            return;
        }
        if (!budget.allows(pace)) {
            throw new IntercomException.RateLimited("Rate-limit window nearly spent; its reset is past the budget",
                    null, clock.instant().plus(pace)).forbidRetry();
        }
        sleep(pace);
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IntercomException.Unavailable(Reason.BUDGET_SPENT, "Interrupted while pacing", e);
        }
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
