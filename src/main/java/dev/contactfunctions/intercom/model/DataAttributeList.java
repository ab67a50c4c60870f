package dev.contactfunctions.intercom.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

@JsonIgnoreProperties(ignoreUnknown = true)
public record DataAttributeList(List<DataAttribute> data) {

    public List<DataAttribute> attributes() {
        return data == null ? List.of() : data;
    }
}
