package dev.contactfunctions.identity;

import java.util.Optional;

import dev.contactfunctions.intercom.IntercomClient;
import dev.contactfunctions.intercom.model.Contact;

/**
 * A lead named by id (identify's {@code lead_id}, the audit's lead): read by id at most once, when it is first
 * needed, unless the email search showed it first.
 */
final class RequestedLead {

    private final String id;
    private final IntercomClient intercom;
    private Optional<Contact> known; // null until read or seen

    private RequestedLead(String id, IntercomClient intercom) {
        this.id = id;
        this.intercom = intercom;
    }

    /** The lead named by this id, when it names one (blank names none). */
    static Optional<RequestedLead> of(Optional<String> leadId, IntercomClient intercom) {
        return leadId.map(String::trim).filter(id -> !id.isEmpty()).map(id -> new RequestedLead(id, intercom));
    }

    String id() {
        return id;
    }

    /** As read by id, or as the search showed it; empty when it is gone. */
    Optional<Contact> contact() {
        if (known == null) {
            known = intercom.findExistingContact(id);
        }
        return known;
    }

    /** A read by id stays the truth: search may show the lead from before its last change. */
    void seenInSearch(Contact contact) {
        if (known == null) {
            known = Optional.of(contact);
        }
    }

    /** Whether a lead named by id may be merged into the person with this (normalized) email, or none (null). */
    static boolean isLeadOf(Contact lead, String personEmail) {
        Optional<String> leadEmail = IdentifyMergeService.normalized(lead.email());
        return leadEmail.isEmpty() || leadEmail.get().equals(personEmail);
    }
}
