package dev.contactfunctions.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The search index: it lags writes by {@code searchLag}. A write adds a new version of the contact that becomes
 * searchable only when the lag has passed; until then search sees the previous version (or nothing, for a new
 * contact). Deleted and merged contacts leave it at once; archived ones are left out of every search.
 *
 * <p>Sorted listing and search results are kept and reused by the next pages while nothing changes, so that paging
 * through a workspace of 100,000 contacts costs one scan, not one per page: a write that search sees at once (a
 * delete, a merge, any write without a search lag) clears them, a lagging write clears the listing at once and the
 * search results when it becomes searchable. Segment member counts, which have no lag either, are kept like the
 * listing: counting 50 segments' members among 100,000 contacts takes the sandbox about a second, with every other
 * request waiting for it, which Intercom's listing does not make its other callers do. A search for one email
 * ({@code email = x}, alone or in a top-level AND) tests only the contacts that ever had that email, not every
 * contact. Not thread-safe: guarded by the {@link Workspace} lock, like the contacts it indexes.
 */
final class SearchIndex {

    /** Enough for every chain of an audit reading a hundred segments in partitions, all at once. */
    private static final int SORTED_RESULTS_KEPT = 2_048;

    private final AttributeCatalog attributes;
    private final SegmentCatalog segments;
    private final Supplier<Instant> time;
    private volatile Duration searchLag;

    private final Map<String, Deque<Version>> index = new HashMap<>();
    private final Map<String, Pager.Sorted> sortedResults = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Pager.Sorted> eldest) {
            return size() > SORTED_RESULTS_KEPT;
        }
    };
    /**
     * The contacts each condition of a top-level AND matches (by the condition's JSON), kept like the results: a
     * search that adds a {@code created_at} range to a kept condition scans that condition's matches only.
     */
    private final Map<String, List<StoredContact>> conditionMatches = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<StoredContact>> eldest) {
            return size() > SORTED_RESULTS_KEPT;
        }
    };
    /** Each segment's member count (by segment id) as the contacts are now, kept until a write. */
    private final Map<String, Integer> memberCounts = new HashMap<>();
    /** When each lagging write becomes searchable (kept search results are dropped then), earliest first. */
    private final PriorityQueue<Instant> becomingSearchable = new PriorityQueue<>();
    /** The ids of the contacts each trimmed, lower-cased email was ever indexed with (a superset of the matches). */
    private final Map<String, Set<String>> idsByEmail = new HashMap<>();
    private Instant lastSearchAt;

    private record Version(StoredContact snapshot, Instant visibleAt) {
    }

    SearchIndex(AttributeCatalog attributes, SegmentCatalog segments, Supplier<Instant> time, Duration searchLag) {
        this.attributes = attributes;
        this.segments = segments;
        this.time = time;
        this.searchLag = searchLag;
    }

    void setSearchLag(Duration lag) {
        if (lag.isNegative()) {
            throw new IllegalArgumentException("the search lag cannot be negative");
        }
        this.searchLag = lag;
    }

    Duration searchLag() {
        return searchLag;
    }

    /** A write to the contact: its new version becomes searchable once the lag has passed. */
    void reindex(StoredContact contact) {
        Instant visibleAt = time.get().plus(searchLag);
        index.computeIfAbsent(contact.id, id -> new ArrayDeque<>()).addLast(new Version(contact.copy(), visibleAt));
        indexEmail(contact);
        if (visibleAt.isAfter(time.get())) {
            becomingSearchable.add(visibleAt);
        } else {
            changed();
        }
    }

    /** A seeded contact: searchable at once. */
    void indexSeeded(StoredContact contact) {
        Deque<Version> versions = new ArrayDeque<>();
        versions.add(new Version(contact.copy(), Instant.MIN));
        index.put(contact.id, versions);
        indexEmail(contact);
    }

    private void indexEmail(StoredContact contact) {
        String key = emailKey(contact.email);
        if (key != null) {
            idsByEmail.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(contact.id);
        }
    }

    private static String emailKey(String email) {
        return email == null ? null : email.strip().toLowerCase(Locale.ROOT);
    }

    /** A deleted or merged contact leaves the index at once. */
    void remove(String id) {
        index.remove(id);
    }

    /** A write search sees at once: kept listing and search results may be stale now. */
    void changed() {
        sortedResults.clear();
        conditionMatches.clear();
        memberCounts.clear();
    }

    /**
     * A write search sees only once reindexed (at once without a lag): the kept listing and counts may be stale now.
     */
    void listingChanged() {
        sortedResults.remove("list");
        memberCounts.clear();
        if (searchLag.isZero()) {
            changed();
        }
    }

    /**
     * Drops the kept search results once a lagging write has become searchable since they were computed, or when the
     * clock has gone back before the last search (a test's clock).
     */
    private void dropResultsOlderThanTheIndex(Instant now) {
        boolean searchableNow = lastSearchAt != null && now.isBefore(lastSearchAt);
        if (lastSearchAt == null || now.isAfter(lastSearchAt)) {
            lastSearchAt = now;
        }
        while (!becomingSearchable.isEmpty() && !becomingSearchable.peek().isAfter(now)) {
            becomingSearchable.poll();
            searchableNow = true;
        }
        if (searchableNow) {
            changed();
        }
    }

    /** Makes every pending write searchable now, as if the lag had passed. */
    void indexNow() {
        changed();
        index.values().forEach(versions -> {
            Version last = versions.peekLast();
            versions.clear();
            versions.add(new Version(last.snapshot(), Instant.MIN));
        });
        becomingSearchable.clear();
    }

    /** Every contact that is not archived, as it is now (listing has no lag), sorted by id; kept until a write. */
    Pager.Sorted listing(Collection<StoredContact> contacts) {
        return sortedResults.computeIfAbsent("list", key -> Pager.sort(
                contacts.stream().filter(c -> !c.archived).toList(),
                new Pager.Order(ContactFilter.field("id", attributes::customAttribute), false)));
    }

    /** The segment's member count as the contacts are now: {@code count}'s, kept until a write. */
    int memberCount(String segmentId, IntSupplier count) {
        return memberCounts.computeIfAbsent(segmentId, id -> count.getAsInt());
    }

    /** Those of the contacts that the index shows matching the query now, as the index shows them, sorted. */
    Pager.Sorted search(ContactStore contacts, JsonNode query, ContactFilter filter, Pager.Order order) {
        Instant now = time.get();
        String resultKey = "search " + query + " " + order.field().name() + " " + order.orderName();
        dropResultsOlderThanTheIndex(now);
        Pager.Sorted sorted = sortedResults.get(resultKey);
        if (sorted == null) {
            List<StoredContact> matches = new ArrayList<>();
            for (StoredContact indexed : candidates(contacts, query, now)) {
                if (filter.test(indexed, segments)) {
                    matches.add(indexed);
                }
            }
            sorted = Pager.sort(matches, order);
            sortedResults.put(resultKey, sorted);
        }
        return sorted;
    }

    /** Every contact as the search index shows it now (archived ones left out). */
    private List<StoredContact> searchable(Collection<StoredContact> contacts, Instant now) {
        List<StoredContact> all = new ArrayList<>(contacts.size());
        for (StoredContact contact : contacts) {
            StoredContact indexed = contact.archived ? null : searchable(contact.id, now);
            if (indexed != null) {
                all.add(indexed);
            }
        }
        return all;
    }

    /**
     * The contacts a search needs to test: for one email, those ever indexed with it; for a top-level AND, the kept
     * matches of its narrowest condition (each condition's matches kept as they are first computed), else every
     * searchable contact.
     */
    private List<StoredContact> candidates(ContactStore store, JsonNode query, Instant now) {
        List<StoredContact> sameEmail = withEmailOf(store, query, now);
        if (sameEmail != null) {
            return sameEmail;
        }
        Collection<StoredContact> contacts = store.all();
        if (query == null || !"AND".equals(query.path("operator").asText()) || !query.path("value").isArray()) {
            return searchable(contacts, now);
        }
        List<StoredContact> narrowest = null;
        for (JsonNode condition : query.path("value")) {
            String key = condition.toString();
            List<StoredContact> matches = conditionMatches.get(key);
            if (matches == null) {
                ContactFilter filter = ContactFilter.parse(condition, attributes::customAttribute, true);
                matches = new ArrayList<>();
                for (StoredContact indexed : narrowest == null ? searchable(contacts, now) : narrowest) {
                    if (filter.test(indexed, segments)) {
                        matches.add(indexed);
                    }
                }
                if (narrowest != null) {
                    narrowest = matches; // matches of this condition among the narrowest: not kept, not all of them
                    continue;
                }
                conditionMatches.put(key, matches);
            }
            if (narrowest == null || matches.size() < narrowest.size()) {
                narrowest = matches;
            }
        }
        return narrowest == null ? searchable(contacts, now) : narrowest;
    }

    /**
     * For a query {@code email = x} (alone or in a top-level AND): the searchable contacts ever indexed with that
     * email, in the order they were first indexed (a superset of the matches, which the filter then picks); else null.
     */
    private List<StoredContact> withEmailOf(ContactStore store, JsonNode query, Instant now) {
        JsonNode condition = isEmailEquals(query) ? query : null;
        if (condition == null && query != null && "AND".equals(query.path("operator").asText())) {
            for (JsonNode c : query.path("value")) {
                if (isEmailEquals(c)) {
                    condition = c;
                    break;
                }
            }
        }
        if (condition == null) {
            return null;
        }
        List<StoredContact> found = new ArrayList<>();
        for (String id : idsByEmail.getOrDefault(emailKey(condition.path("value").asText()), Set.of())) {
            StoredContact contact = store.find(id).orElse(null);
            StoredContact indexed = contact == null || contact.archived ? null : searchable(id, now);
            if (indexed != null) {
                found.add(indexed);
            }
        }
        return found;
    }

    private static boolean isEmailEquals(JsonNode condition) {
        return condition != null && "email".equals(condition.path("field").asText())
                && "=".equals(condition.path("operator").asText()) && condition.path("value").isTextual();
    }

    /** The newest version of the contact the index shows at {@code now}; older versions are dropped. */
    private StoredContact searchable(String id, Instant now) {
        Deque<Version> versions = index.get(id);
        if (versions == null) {
            return null;
        }
        Version chosen = null;
        int position = -1;
        int i = 0;
        for (Version v : versions) {
            if (!v.visibleAt().isAfter(now)) {
                chosen = v;
                position = i;
            }
            i++;
        }
        for (int k = 0; k < position; k++) {
            versions.pollFirst();
        }
        return chosen == null ? null : chosen.snapshot();
    }
}
