package dev.contactfunctions.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A segment: a saved search filter over users ({@code person_type "user"}) or leads ({@code "contact"}), with its
 * parsed form kept for evaluation.
 */
record SegmentDef(String id, String name, String personType, JsonNode filterJson, ContactFilter filter,
        long createdAt, long updatedAt) {

    static final String USERS = "user";
    static final String LEADS = "contact";

    boolean admits(StoredContact contact, ContactFilter.Context context) {
        boolean rightRole = USERS.equals(personType) ? contact.isUser() : contact.isLead();
        return rightRole && filter.test(contact, context);
    }
}
