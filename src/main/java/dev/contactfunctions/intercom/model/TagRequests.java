package dev.contactfunctions.intercom.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Bodies of the tag endpoints. */
public final class TagRequests {

    private TagRequests() {
    }

    /** {@code POST /tags}: creates the tag, or renames it when {@code id} is given. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CreateOrUpdate(String name, String id) {
    }

    /** {@code POST /contacts/{id}/tags}: the tag id is a string. */
    public record TagContact(String id) {
    }
}
