package dev.contactfunctions.intercom.search;

import java.util.List;

/**
 * A node of Intercom's contact search grammar: a single field filter or an AND/OR group.
 * Build with {@link #field(String)}, {@link #and(SearchFilter...)} and {@link #or(SearchFilter...)}.
 */
public sealed interface SearchFilter permits FieldFilter, GroupFilter {

    static FieldFilter.Builder field(String name) {
        return new FieldFilter.Builder(name);
    }

    static FieldFilter.Builder customAttribute(String name) {
        return new FieldFilter.Builder("custom_attributes." + name);
    }

    static GroupFilter and(SearchFilter... filters) {
        return new GroupFilter("AND", List.of(filters));
    }

    static GroupFilter and(List<? extends SearchFilter> filters) {
        return new GroupFilter("AND", List.copyOf(filters));
    }

    static GroupFilter or(SearchFilter... filters) {
        return new GroupFilter("OR", List.of(filters));
    }

    static GroupFilter or(List<? extends SearchFilter> filters) {
        return new GroupFilter("OR", List.copyOf(filters));
    }
}
