package dev.contactfunctions.intercom;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.contactfunctions.intercom.search.SearchFilter;
import dev.contactfunctions.intercom.search.Sort;

/** Body of {@code POST /contacts/search}: the cursor travels in {@code pagination}, not in the query string. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record SearchRequest(SearchFilter query, Pagination pagination, Sort sort) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Pagination(@JsonProperty("per_page") int perPage, @JsonProperty("starting_after") String startingAfter) {
    }
}
