package dev.contactfunctions.intercom.model;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One page of {@code GET /contacts} or {@code POST /contacts/search}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContactPage(List<Contact> data, @JsonProperty("total_count") Integer totalCount, Pages pages) {

    public List<Contact> contacts() {
        return data == null ? List.of() : data;
    }

    /** The cursor of the next page; empty on the last page. */
    public Optional<String> nextCursor() {
        return Optional.ofNullable(pages).map(Pages::next).map(Pages.Next::startingAfter).filter(s -> !s.isBlank());
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Pages(Integer page, @JsonProperty("per_page") Integer perPage,
            @JsonProperty("total_pages") Integer totalPages, Next next) {

        @JsonIgnoreProperties(ignoreUnknown = true)
        public record Next(Integer page, @JsonProperty("starting_after") String startingAfter) {
        }
    }
}
