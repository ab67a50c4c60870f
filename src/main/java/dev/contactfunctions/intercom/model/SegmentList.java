package dev.contactfunctions.intercom.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** {@code GET /segments} answers {@code segments}; {@code GET /contacts/{id}/segments} answers {@code data}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SegmentList(List<Segment> segments, List<Segment> data) {

    public List<Segment> all() {
        if (segments != null) {
            return segments;
        }
        return data == null ? List.of() : data;
    }
}
