package dev.contactfunctions.intercom.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Answer of delete, archive and unarchive: the contact's id with the flag that changed. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContactStatus(String id, @JsonProperty("external_id") String externalId, Boolean deleted,
        Boolean archived) {
}
