package dev.contactfunctions.intercom.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The answer of {@code GET /me}, read for its app only: the admin's own fields (among them an email and a name) are
 * not mapped, so they are never held.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Me(WorkspaceApp app) {
}
