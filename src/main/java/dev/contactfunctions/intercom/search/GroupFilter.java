package dev.contactfunctions.intercom.search;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code {"operator": "AND"|"OR", "value": [filters]}}.
 * Registered for reflection: Jackson meets it only through {@link SearchFilter}, which the REST client's own
 * registration (its signature types and their fields) does not follow.
 */
@RegisterForReflection
public record GroupFilter(String operator, List<SearchFilter> value) implements SearchFilter {
}
