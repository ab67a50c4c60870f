package dev.contactfunctions.intercom.model;

/** Body of {@code POST /contacts/merge}: {@code from} must be a lead, {@code into} a user. */
public record MergeRequest(String from, String into) {
}
