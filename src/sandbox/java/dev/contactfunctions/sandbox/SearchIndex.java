package dev.contactfunctions.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The search index: it lags writes by {@code searchLag}. A write adds a new version of the contact that becomes
 * searchable only when the lag has passed; until then search sees the previous version (or nothing, for a new
 * contact). Deleted and merged contacts leave it at once; archived ones are left out of every search.
 *
 * <p>Sorted listing and search results are kept and reused by the next pages while nothing changes (every write
 * clears them; a search result is kept only when no write is still waiting out the lag), so that paging through a
 * workspace of 100,000 contacts costs one scan, not one per page. Not thread-safe: guarded by the
 * {@link Workspace} lock, like the contacts it indexes.
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
    /** When the last lagging write becomes searchable; search results are not kept before then. */
    private Instant lastWriteSearchableAt = Instant.MIN;

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
        if (visibleAt.isAfter(lastWriteSearchableAt)) {
            lastWriteSearchableAt = visibleAt;
        }
        changed();
    }

    /** A seeded contact: searchable at once. */
    void indexSeeded(StoredContact contact) {
        Deque<Version> versions = new ArrayDeque<>();
        versions.add(new Version(contact.copy(), Instant.MIN));
        index.put(contact.id, versions);
    }

    /** A deleted or merged contact leaves the index at once. */
    void remove(String id) {
        index.remove(id);
    }

    /** Every write calls this: kept listing and search results may be stale now. */
    void changed() {
        sortedResults.clear();
        conditionMatches.clear();
    }

    /** Makes every pending write searchable now, as if the lag had passed. */
    void indexNow() {
        changed();
        index.values().forEach(versions -> {
            Version last = versions.peekLast();
            versions.clear();
            versions.add(new Version(last.snapshot(), Instant.MIN));
        });
        lastWriteSearchableAt = Instant.MIN;
    }

    /** Every contact that is not archived, as it is now (listing has no lag), sorted by id; kept until a write. */
    Pager.Sorted listing(Collection<StoredContact> contacts) {
        return sortedResults.computeIfAbsent("list", key -> Pager.sort(
                contacts.stream().filter(c -> !c.archived).toList(),
                new Pager.Order(ContactFilter.field("id", attributes::customAttribute), false)));
    }

    /** Those of the contacts that the index shows matching the query now, as the index shows them, sorted. */
    Pager.Sorted search(Collection<StoredContact> contacts, JsonNode query, ContactFilter filter, Pager.Order order) {
        Instant now = time.get();
        String resultKey = "search " + query + " " + order.field().name() + " " + order.orderName();
        boolean settled = !now.isBefore(lastWriteSearchableAt); // no write is still waiting out the lag
        Pager.Sorted sorted = settled ? sortedResults.get(resultKey) : null;
        if (sorted == null) {
            List<StoredContact> matches = new ArrayList<>();
            for (StoredContact indexed : settled ? candidates(contacts, query, now) : searchable(contacts, now)) {
                if (filter.test(indexed, segments)) {
                    matches.add(indexed);
                }
            }
            sorted = Pager.sort(matches, order);
            if (settled) {
                sortedResults.put(resultKey, sorted);
            }
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
     * The contacts a settled search needs to test: for a top-level AND, the kept matches of its narrowest condition
     * (each condition's matches kept as they are first computed), else every searchable contact.
     */
    private List<StoredContact> candidates(Collection<StoredContact> contacts, JsonNode query, Instant now) {
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
