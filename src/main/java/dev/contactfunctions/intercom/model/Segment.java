package dev.contactfunctions.intercom.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A segment; {@code count} is present only when listed with {@code include_count=true}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Segment(String id, String name, @JsonProperty("person_type") String personType, Integer count,
        @JsonProperty("created_at") Long createdAt, @JsonProperty("updated_at") Long updatedAt) {
}
