package dev.contactfunctions.audit;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Findings of one kind: an exact count, and the first {@code limit} items in the order they were found (the audit
 * walks contacts in a fixed order, so a resumed run lists the same items as an uncut one).
 */
@RegisterForReflection
public final class FindingList<T> {

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
    }

    void add(T item) {
        count++;
        if (items.size() < limit) {
            items.add(item);
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
