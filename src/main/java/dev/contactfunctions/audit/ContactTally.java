package dev.contactfunctions.audit;

import java.time.Instant;
import java.util.List;

import dev.contactfunctions.audit.AuditReport.InactiveLead;
import dev.contactfunctions.audit.AuditReport.InvalidEmail;
import dev.contactfunctions.audit.AuditReport.UnmergedLead;
import dev.contactfunctions.audit.AuditReport.UsersSharingEmail;
import dev.contactfunctions.intercom.model.Contact;
import dev.contactfunctions.identifiers.Emails;
import dev.contactfunctions.identifiers.Pseudonyms;

/**
 * What the pass over all contacts counts and finds: the workspace's totals, invalid emails, inactive leads and, once
 * every contact has been seen, the emails shared by users or by a lead and a user. Emails are kept only as keyed
 * hashes in the {@link EmailIndex}, emptied when the pass ends.
 */
final class ContactTally {

    boolean scanned;
    long contacts;
    long users;
    long leads;
    long withoutEmail;
    EmailIndex emails;
    final FindingList<InvalidEmail> invalidEmails;
    final FindingList<InactiveLead> inactiveLeads;
    final FindingList<UnmergedLead> unmergedLeads;
    final FindingList<UsersSharingEmail> usersSharingEmail;

    ContactTally(boolean scanned, long contacts, long users, long leads, long withoutEmail, EmailIndex emails,
            FindingList<InvalidEmail> invalidEmails, FindingList<InactiveLead> inactiveLeads,
            FindingList<UnmergedLead> unmergedLeads, FindingList<UsersSharingEmail> usersSharingEmail) {
        this.scanned = scanned;
        this.contacts = contacts;
        this.users = users;
        this.leads = leads;
        this.withoutEmail = withoutEmail;
        this.emails = emails;
        this.invalidEmails = invalidEmails;
        this.inactiveLeads = inactiveLeads;
        this.unmergedLeads = unmergedLeads;
        this.usersSharingEmail = usersSharingEmail;
    }

    static ContactTally empty(int limit) {
        return new ContactTally(false, 0, 0, 0, 0, new EmailIndex(), new FindingList<>(limit),
                new FindingList<>(limit), new FindingList<>(limit), new FindingList<>(limit));
    }

    /** Counts and checks one contact; its email is kept only as a keyed hash ({@code pseudonyms}). */
    void record(Contact contact, Instant inactivityCutoff, Pseudonyms pseudonyms) {
        contacts++;
        if (contact.isUser()) {
            users++;
        } else if (contact.isLead()) {
            leads++;
        }
        String email = contact.email();
        if (email == null || email.isBlank()) {
            withoutEmail++;
        } else {
            String normalized = Emails.normalize(email);
            emails.add(pseudonyms.emailKey(normalized), contact.id(), contact.role());
            ContactChecks.emailProblem(email).ifPresent(reason -> invalidEmails.add(
                    new InvalidEmail(contact.id(), contact.role(), reason, pseudonyms.emailFingerprint(normalized))));
        }
        if (ContactChecks.isInactiveLead(contact, inactivityCutoff)) {
            inactiveLeads.add(new InactiveLead(contact.id(), ContactChecks.lastActivity(contact).orElseThrow()));
        }
    }

    /**
     * Closes the pass: duplicates are known once every contact has been seen. Once: a pass read alongside the
     * segments is closed when it ends, and again asked to when the segments end.
     */
    void passDone() {
        if (scanned) {
            return;
        }
        for (EmailIndex.SharedEmail shared : emails.sharedEmails()) {
            List<String> userIds = shared.userIds();
            if (userIds.size() > 1) {
                usersSharingEmail.add(new UsersSharingEmail(shared.emailFingerprint(), userIds));
            }
            if (!userIds.isEmpty()) {
                for (String leadId : shared.leadIds()) {
                    unmergedLeads.add(new UnmergedLead(leadId, userIds, shared.emailFingerprint()));
                }
            }
        }
        scanned = true;
        emails = new EmailIndex();
    }

    AuditReport.Workspace toReport() {
        return new AuditReport.Workspace(scanned, contacts, users, leads, withoutEmail);
    }
}
