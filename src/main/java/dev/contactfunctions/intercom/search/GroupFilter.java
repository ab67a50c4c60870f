package dev.contactfunctions.intercom.search;

import java.util.List;

/** {@code {"operator": "AND"|"OR", "value": [filters]}}. */
public record GroupFilter(String operator, List<SearchFilter> value) implements SearchFilter {
}
