package dev.contactfunctions.intercom.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreateDataAttributeRequest(String name, String model, @JsonProperty("data_type") String dataType,
        String description) {

    public static CreateDataAttributeRequest contact(String name, DataType type, String description) {
        return new CreateDataAttributeRequest(name, "contact", type.wireName(), description);
    }
}
