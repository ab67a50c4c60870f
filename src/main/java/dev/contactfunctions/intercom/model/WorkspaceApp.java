package dev.contactfunctions.intercom.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The workspace ("app") the token belongs to, as {@code GET /me} embeds it: its id (the code in the web app's
 * addresses) and its hosting region ({@code US}, {@code EU} or {@code AU}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkspaceApp(@JsonProperty("id_code") String idCode, String region) {
}
