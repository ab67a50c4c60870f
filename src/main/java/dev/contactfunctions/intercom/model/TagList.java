package dev.contactfunctions.intercom.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

@JsonIgnoreProperties(ignoreUnknown = true)
public record TagList(List<Tag> data) {

    public List<Tag> tags() {
        return data == null ? List.of() : data;
    }
}
