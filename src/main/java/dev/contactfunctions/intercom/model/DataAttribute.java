package dev.contactfunctions.intercom.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A data attribute; {@code custom} is true for custom (writable through {@code custom_attributes}) ones. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DataAttribute(Long id, String model, String name, @JsonProperty("full_name") String fullName,
        String label, String description, @JsonProperty("data_type") String dataType, List<String> options,
        @JsonProperty("api_writable") Boolean apiWritable, Boolean custom, Boolean archived) {

    public boolean isCustom() {
        return Boolean.TRUE.equals(custom);
    }
}
