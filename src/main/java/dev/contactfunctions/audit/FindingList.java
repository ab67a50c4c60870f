package dev.contactfunctions.audit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Findings of one kind: an exact count, and the first {@code limit} items in a fixed order (their text, which starts
 * with the contact id or the email fingerprint), whatever order they were found in: the audit reads pages concurrently, so the same workspace
 * gives the same list whatever the concurrency, and a resumed run lists the same items as an uncut one.
 */
@RegisterForReflection
public final class FindingList<T> {

    private static final Comparator<Object> ORDER = Comparator.comparing(String::valueOf);

    private long count;
    private final int limit;
    private final List<T> items;

    FindingList(int limit) {
        this(0, limit, new ArrayList<>());
    }

    @JsonCreator
    FindingList(@JsonProperty("count") long count, @JsonProperty("limit") int limit,
            @JsonProperty("items") List<T> items) {
        this.count = count;
        this.limit = limit;
        this.items = items == null ? new ArrayList<>() : new ArrayList<>(items);
        this.items.sort(ORDER); // a checkpoint may hold them in the order they were found
    }

    void add(T item) {
        count++;
        if (limit <= 0 || items.size() == limit && ORDER.compare(item, items.get(limit - 1)) >= 0) {
            return;
        }
        int at = Collections.binarySearch(items, item, ORDER);
        items.add(at < 0 ? -at - 1 : at, item);
        if (items.size() > limit) {
            items.remove(limit);
        }
    }

    @JsonProperty
    public long count() {
        return count;
    }

    @JsonProperty
    int limit() {
        return limit;
    }

    @JsonProperty
    public List<T> items() {
        return List.copyOf(items);
    }

    public boolean truncated() {
        return count > items.size();
    }
}
