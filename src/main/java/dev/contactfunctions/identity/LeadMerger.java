package dev.contactfunctions.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import dev.contactfunctions.intercom.IntercomClient;
import dev.contactfunctions.intercom.IntercomException;
import dev.contactfunctions.intercom.model.Contact;
import dev.contactfunctions.intercom.model.ContactRequest;
import dev.contactfunctions.intercom.search.SearchFilter;
import dev.contactfunctions.intercom.search.SearchQuery;
import dev.contactfunctions.ledger.Claim;
import dev.contactfunctions.ledger.HeldIdentities;
import dev.contactfunctions.ledger.IdentityBusyException;
import dev.contactfunctions.ledger.IdentityLedger;
import dev.contactfunctions.identifiers.Emails;
import dev.contactfunctions.identifiers.Pseudonyms;

/**
 * The merges of a person's leads into their user, with the person's {@code email:} identity held: the leads found
 * (search, the lead named by id, the leads the ledger knows), their missing attributes copied to the user in one
 * update, then each merged, written ahead on the held identity.
 */
final class LeadMerger {

    private static final Logger LOG = Logger.getLogger(LeadMerger.class);

    private final IntercomClient intercom;
    private final Pseudonyms pseudonyms;
    private final Duration createSettle;
    private final Clock clock;

    LeadMerger(IntercomClient intercom, Pseudonyms pseudonyms, Duration createSettle, Clock clock) {
        this.intercom = intercom;
        this.pseudonyms = pseudonyms;
        this.createSettle = createSettle;
        this.clock = clock;
    }

    /**
     * One merge: what to merge, and what the caller knows already.
     *
     * @param requested the lead {@code request} names, read at most once whoever needs it first
     * @param attributesSetLater the event's own attributes, written after the merge: not copied from the leads
     * @param sameEmail the contacts a search of the email found just before, if one was made; else search here
     */
    record Job(MergeLeads request, Optional<RequestedLead> requested, Set<String> attributesSetLater,
            Optional<List<Contact>> sameEmail) {

        /** A merge on its own: nothing known yet. */
        static Job of(MergeLeads request, IntercomClient intercom) {
            return new Job(request, RequestedLead.of(request.leadId(), intercom), Set.of(), Optional.empty());
        }
    }

    /**
     * The merges, with the email's identity held. A lead create for this email whose outcome is unknown may still
     * land, and search may not show it until the settle horizon: merge what is there now, leave the create's record
     * to the lead capture delivery that settles it, and come back once search can be trusted to show it.
     */
    MergeResult merge(Job job, HeldIdentities held) {
        Optional<String> email = job.request().normalizedEmail();
        if (email.isEmpty()) {
            return merge(job, null, null);
        }
        String identity = IdentityLedger.email(pseudonyms, email.get());
        Optional<Instant> settlesAt = held.claim(identity).unsettledCreateSince()
                .map(since -> since.plus(createSettle)).filter(clock.instant()::isBefore);
        MergeResult merged = merge(job, email.get(), settlesAt.isEmpty() ? new WriteAhead(held, identity) : null);
        if (settlesAt.isPresent()) {
            throw new IdentityBusyException(identity, settlesAt.get());
        }
        return merged;
    }

    /** Where merges are written ahead: the held {@code email:} identity of the leads. */
    private record WriteAhead(HeldIdentities held, String identity) {

        Claim.Won claim() {
            return held.claim(identity);
        }

        void intendMerge(Contact lead, Contact user) {
            if (!held.intendMerge(identity, lead.id(), user.id())) {
                throw new IdentityBusyException(identity); // the hold ran out: another delivery may write now
            }
        }
    }

    /**
     * @param email the person's email (normalized), or null when unknown
     * @param writeAhead the held identity on which each merge is written ahead, and whose remembered contact and
     *        merging lead are candidates; null while a create is unsettled (then nothing is written on the record)
     */
    private MergeResult merge(Job job, String email, WriteAhead writeAhead) {
        Contact user = job.request().user();
        List<SkippedLead> skipped = new ArrayList<>();
        List<Contact> leads = findLeads(job, email, skipped, writeAhead);
        List<Contact> toMerge = leads.subList(0, Math.min(job.request().cap(), leads.size()));

        Contact current = user;
        Map<String, Object> copy = AttributeCarryOver.missingOnUser(user, toMerge, job.attributesSetLater());
        if (!copy.isEmpty()) {
            current = IdentifyMergeService.orElse(
                    intercom.updateContact(user.id(), ContactRequest.builder().customAttributes(copy).build()), current);
        }
        List<String> merged = new ArrayList<>();
        for (Contact lead : toMerge) {
            if (writeAhead != null) {
                writeAhead.intendMerge(lead, current);
            }
            Optional<Contact> after = merge(lead, current, skipped);
            if (after.isPresent()) {
                current = IdentifyMergeService.orElse(after.get(), current);
                merged.add(lead.id());
            }
        }
        return new MergeResult(current, merged, List.copyOf(copy.keySet()), skipped, leads.size() - toMerge.size());
    }

    /** The leads to merge, the requested one first, then the oldest first. */
    private List<Contact> findLeads(Job job, String email, List<SkippedLead> skipped, WriteAhead writeAhead) {
        Contact user = job.request().user();
        Optional<RequestedLead> requestedLead = job.requested();
        Optional<String> requested = requestedLead.map(RequestedLead::id);
        Map<String, Contact> leads = new LinkedHashMap<>();
        if (email != null) {
            // the sign-up's search of the email, whose users are not candidates; else a search of the leads
            List<Contact> found = job.sameEmail()
                    .map(contacts -> contacts.stream().filter(Contact::isLead).toList())
                    .orElseGet(() -> intercom.search(SearchQuery.of(SearchFilter.and(
                            SearchFilter.field("email").eq(email), SearchFilter.field("role").eq(Contact.ROLE_LEAD))))
                            .stream().toList());
            found.forEach(contact -> {
                if (contact.id() == null || contact.id().equals(user.id()) || leads.containsKey(contact.id())) {
                    return;
                }
                if (requested.filter(contact.id()::equals).isPresent()) {
                    requestedLead.get().seenInSearch(contact); // judged below, with the others' rules
                    return;
                }
                if (!contact.isLead()) {
                    skipped.add(new SkippedLead(contact.id(), SkippedLead.Reason.NOT_A_LEAD));
                } else if (!email.equals(Emails.normalize(contact.email()))) {
                    skipped.add(new SkippedLead(contact.id(), SkippedLead.Reason.OTHER_EMAIL));
                } else {
                    leads.put(contact.id(), contact);
                }
            });
        }
        requestedLead.ifPresent(lead -> addRequestedLead(user, email, lead, leads, skipped));
        if (email != null) {
            addLeadsTheLedgerKnows(user, email, leads, writeAhead);
        }
        List<Contact> ordered = new ArrayList<>(leads.values());
        ordered.sort(Comparator.comparing((Contact c) -> requested.filter(c.id()::equals).isEmpty())
                .thenComparing(AttributeCarryOver.OLDEST_FIRST));
        return ordered;
    }

    /** The given lead, when it is a lead with the person's email or none. */
    private static void addRequestedLead(Contact user, String email, RequestedLead requested,
            Map<String, Contact> leads, List<SkippedLead> skipped) {
        String id = requested.id();
        if (id.equals(user.id())) {
            skipped.add(new SkippedLead(id, SkippedLead.Reason.IS_THE_USER));
            return;
        }
        Optional<Contact> lead = requested.contact();
        if (lead.isEmpty()) {
            skipped.add(new SkippedLead(id, SkippedLead.Reason.GONE));
        } else if (!lead.get().isLead()) {
            skipped.add(new SkippedLead(id, SkippedLead.Reason.NOT_A_LEAD));
        } else if (!RequestedLead.isLeadOf(lead.get(), email)) {
            skipped.add(new SkippedLead(id, SkippedLead.Reason.OTHER_EMAIL));
        } else {
            leads.put(id, lead.get());
        }
    }

    /**
     * Lead capture records the lead it created for an email in the identity ledger; search may not show that lead
     * for minutes, and sign-up often follows a form within minutes. Read it directly: when search missed it, and when
     * search found it too, since search may show its state from before the last form's write. A lead that was being
     * merged when that merge's answer was lost is read too: the merge may not have happened.
     */
    private void addLeadsTheLedgerKnows(Contact user, String email, Map<String, Contact> leads, WriteAhead writeAhead) {
        if (writeAhead == null) {
            return;
        }
        Claim.Won claim = writeAhead.claim();
        Stream.concat(claim.contactId().stream(), claim.mergingLeadId().stream()).distinct()
                .filter(id -> !id.equals(user.id()))
                .forEach(id -> intercom.findExistingContact(id)
                        .filter(lead -> lead.isLead() && email.equals(Emails.normalize(lead.email())))
                        .ifPresent(lead -> leads.put(id, lead)));
    }

    /** Merges one lead; empty when it is skipped (already gone, no longer a lead, refused by Intercom). */
    private Optional<Contact> merge(Contact lead, Contact user, List<SkippedLead> skipped) {
        try {
            return Optional.of(intercom.mergeLeadIntoUser(lead.id(), user.id()));
        } catch (IntercomException.Gone e) {
            skipped.add(new SkippedLead(lead.id(), SkippedLead.Reason.GONE));
        } catch (IntercomException.NotFound e) {
            // the lead merged by a concurrent run, usually; but a 404 may also mean the user is gone: look
            Optional<Contact> lead404 = intercom.findExistingContact(lead.id());
            if (lead404.isEmpty()) {
                skipped.add(new SkippedLead(lead.id(), SkippedLead.Reason.GONE));
            } else if (!lead404.get().isLead()) {
                skipped.add(new SkippedLead(lead.id(), SkippedLead.Reason.NOT_A_LEAD));
            } else {
                throw new IdentityConflictException("user_gone", "Intercom answered 404 to merging lead " + lead.id()
                        + " into user " + user.id() + " while the lead exists: the user is gone; retry", true);
            }
        } catch (IntercomException.InvalidRequest e) {
            LOG.warnf("merge_refused lead_id=%s user_id=%s status=%d code=%s", lead.id(), user.id(), e.status(),
                    e.code());
            skipped.add(new SkippedLead(lead.id(), SkippedLead.Reason.MERGE_REFUSED));
        }
        return Optional.empty();
    }
}
