package dev.contactfunctions.identity;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.contactfunctions.intercom.CallBudget;
import dev.contactfunctions.intercom.IntercomClient;
import dev.contactfunctions.intercom.IntercomException;
import dev.contactfunctions.intercom.model.Contact;
import dev.contactfunctions.intercom.model.ContactRequest;
import dev.contactfunctions.intercom.search.SearchFilter;
import dev.contactfunctions.intercom.search.SearchQuery;
import dev.contactfunctions.ledger.Claim;
import dev.contactfunctions.ledger.HeldIdentities;
import dev.contactfunctions.ledger.IdentityBusyException;
import dev.contactfunctions.ledger.IdentityClaims;
import dev.contactfunctions.ledger.IdentityLedger;
import dev.contactfunctions.ledger.LedgerConfig;
import dev.contactfunctions.identifiers.Emails;
import dev.contactfunctions.identifiers.Pseudonyms;
import dev.contactfunctions.webhook.WebhookException;

/**
 * One user per person, every lead of theirs merged into it. {@link #identify} handles a sign-up or log-in event;
 * {@link #mergeLeadsInto} merges a person's leads into a known user (Intercom notifications, the audit's fix mode).
 *
 * <p>Every step can be repeated: a re-delivery finds the same user, sees the attributes already copied and the
 * merged leads gone, and does what is left. Calls for k leads: a sign-up 3 + k (lookup by {@code external_id}, one
 * search of the email that serves both the user and the leads, create, k merges); a returning user 2 + k (lookup,
 * lead search, k merges), plus 1 when the event changes the user's fields; plus 1 when lead attributes are copied
 * first, plus 1 read each for a {@code lead_id} (before anything is written: its email decides whether it may be
 * merged) and for the lead the ledger remembers for the email (read directly even when search returned it: search may
 * show it from before a form's last write).
 *
 * <p>A user is never created twice, whatever the search lag: every attempt (the client's retry, a re-delivery, the
 * deferral queue) looks the user up by {@code external_id} first, which has no lag, and every create carries the
 * {@code external_id}, which Intercom keeps unique: a create whose first attempt landed after all answers 409 naming
 * that user, and one that lands after a later attempt created the user is refused by Intercom. The email search only
 * adopts a user without an {@code external_id}; it never stands in for the lookup.
 */
@ApplicationScoped
public class IdentifyMergeService {

    private static final Logger LOG = Logger.getLogger(IdentifyMergeService.class);
    private static final Comparator<Contact> OLDEST_FIRST = Comparator.comparing(
            (Contact c) -> c.createdAt() == null ? Long.MAX_VALUE : c.createdAt()).thenComparing(Contact::id);

    private final IntercomClient intercom;
    private final IdentityClaims claims;
    private final CallBudget budget;
    private final WorkspaceAttributes workspaceAttributes;
    private final IdentifyMergeConfig config;
    private final Duration createSettle;
    private final Clock clock;
    private final Pseudonyms pseudonyms;

    IdentifyMergeService(IntercomClient intercom, IdentityClaims claims, CallBudget budget,
            WorkspaceAttributes workspaceAttributes, IdentifyMergeConfig config, LedgerConfig ledgerConfig,
            Clock clock, Pseudonyms pseudonyms) {
        this.pseudonyms = pseudonyms;
        this.intercom = intercom;
        this.claims = claims;
        this.budget = budget;
        this.workspaceAttributes = workspaceAttributes;
        this.config = config;
        this.createSettle = ledgerConfig.createSettle();
        this.clock = clock;
    }

    /**
     * Finds the user by {@code external_id}, else by email among users, else creates it; merges every lead with the
     * same email (and the given {@code lead_id}) into it, at most {@code identify-merge.max-leads-per-event}; then
     * writes the event's own attributes, which win over the leads'.
     *
     * @throws WebhookException 422 when a custom attribute does not exist in the workspace or has the wrong type,
     *         or when {@code lead_id} names a lead with another email than the person's (checked before anything is
     *         written)
     * @throws IntercomException when Intercom fails; {@link IntercomException#isTransient()} says whether a
     *         re-delivery may succeed
     * @throws IdentityConflictException when Intercom's state contradicts the identity
     * @throws IdentityBusyException when another delivery holds the person's identity longer than the claim wait
     */
    public IdentifyResult identify(IdentifyRequest request) {
        return identify(request, "identify-" + UUID.randomUUID());
    }

    /**
     * As {@link #identify(IdentifyRequest)}; {@code deliveryId} owns the person's identity claims while it runs
     * ({@code external_id:} while the user is found or created; then the {@code email:} identity of the event's email,
     * and of the user's old email when it changes, while the leads are copied and merged and the email is changed),
     * so that concurrent deliveries for one person on any instance neither create two users nor write to a lead being
     * merged. Before it answers, the event's email names the user in the ledger and the old one no longer does.
     */
    public IdentifyResult identify(IdentifyRequest request, String deliveryId) {
        workspaceAttributes.check(request.customAttributes());
        Optional<RequestedLead> requested = requestedLead(request.leadIdOptional());
        ResolvedUser resolved = findOrCreateUser(request, requested, deliveryId);
        Optional<String> stored = normalized(resolved.user().email());
        Optional<String> email = request.email() != null ? Optional.of(request.email()) : stored;
        Optional<String> previous = stored.filter(old -> !email.equals(Optional.of(old)));
        try (HeldIdentities held = holdEmails(deliveryId, email, previous)) {
            MergeResult merge = mergeClaimed(resolved.user(), email, requested,
                    config.maxLeadsPerEvent(), request.customAttributes().keySet(), held, resolved.sameEmail());
            Contact user = applyEventAttributes(merge.user(), request);
            rememberUser(held, email, previous, user, merge);
            return new IdentifyResult(resolved.created(), new MergeResult(user, merge.mergedLeadIds(),
                    merge.attributesCopied(), merge.skipped(), merge.excessLeads()));
        }
    }

    /**
     * Merges into {@code user} every lead with {@code normalizedEmail} (search, all pages) and {@code leadId} when
     * it is a lead with that email or none. Before merging, copies to the user each custom attribute the leads have
     * and the user lacks, in one update ({@code first_*} attributes: the oldest lead's value). Leads already gone (404,
     * 410), not leads any more, or ({@code leadId}) with another email are reported as skipped. Leads past
     * {@code cap} are left and counted as excess: the given {@code leadId} first, then the oldest.
     *
     * @param user a user as Intercom returns it (with its custom attributes); never a lead
     * @param normalizedEmail the person's email (normalized again here); null when unknown: then only
     *        {@code leadId} is considered, if it has no email
     * @param cap most leads merged by this call (at least 1)
     * @throws IllegalArgumentException when {@code user} is not a user or {@code cap} is below 1
     * @throws IntercomException when Intercom fails before all merges are done; repeating the call completes them
     * @throws IdentityConflictException when the user vanishes in the middle
     */
    public MergeResult mergeLeadsInto(Contact user, String normalizedEmail, Optional<String> leadId, int cap) {
        return mergeLeadsInto(user, normalizedEmail, leadId, cap, "merge-" + UUID.randomUUID());
    }

    /** As {@link #mergeLeadsInto(Contact, String, Optional, int)}, with the configured cap. */
    public MergeResult mergeLeadsInto(Contact user, String normalizedEmail, Optional<String> leadId) {
        return mergeLeadsInto(user, normalizedEmail, leadId, config.maxLeadsPerEvent());
    }

    /**
     * As {@link #mergeLeadsInto(Contact, String, Optional)} for one delivery: {@code deliveryId} owns the email's
     * claim, so that a repeat of a delivery whose invocation was killed while holding it goes on at once.
     */
    MergeResult mergeLeadsInto(Contact user, String normalizedEmail, Optional<String> leadId, String deliveryId) {
        return mergeLeadsInto(user, normalizedEmail, leadId, config.maxLeadsPerEvent(), deliveryId);
    }

    private MergeResult mergeLeadsInto(Contact user, String normalizedEmail, Optional<String> leadId, int cap,
            String owner) {
        Optional<String> email = normalized(normalizedEmail);
        try (HeldIdentities held = holdEmails(owner, email, Optional.empty())) {
            MergeResult merged = mergeClaimed(user, email, requestedLead(leadId), cap, Set.of(), held,
                    Optional.empty());
            rememberUser(held, email, Optional.empty(), merged.user(), merged);
            return merged;
        }
    }

    /**
     * The person's {@code email:} identities, held while the leads are merged (a lead capture delivery creating or
     * updating this person's lead right now holds it: wait for it, so that the merge neither misses a lead search
     * cannot show yet nor drops what a form writes to a lead being merged).
     */
    private HeldIdentities holdEmails(String owner, Optional<String> email, Optional<String> previous) {
        return claims.hold(owner, budget.remaining(), Stream.concat(email.stream(), previous.stream())
                .map(address -> IdentityLedger.email(pseudonyms, address)).toArray(String[]::new));
    }

    /**
     * The merges, with the email's identity held. A lead create for this email whose outcome is unknown may still
     * land, and search may not show it until the settle horizon: merge what is there now, leave the create's record
     * to the lead capture delivery that settles it, and come back once search can be trusted to show it.
     *
     * @param sameEmail the contacts a search of the email found just before, if one was made; else search here
     */
    private MergeResult mergeClaimed(Contact user, Optional<String> email, Optional<RequestedLead> requested, int cap,
            Set<String> attributesSetLater, HeldIdentities held, Optional<List<Contact>> sameEmail) {
        if (user == null || user.id() == null || !user.isUser()) {
            throw new IllegalArgumentException("Leads are merged into a user only");
        }
        if (cap < 1) {
            throw new IllegalArgumentException("The cap on leads per merge must be at least 1, got " + cap);
        }
        if (email.isEmpty()) {
            return merge(user, null, requested, cap, attributesSetLater, Optional.empty(), null);
        }
        String identity = IdentityLedger.email(pseudonyms, email.get());
        Optional<Instant> settlesAt = held.claim(identity).unsettledCreateSince()
                .map(since -> since.plus(createSettle)).filter(clock.instant()::isBefore);
        MergeResult merged = merge(user, email.get(), requested, cap, attributesSetLater, sameEmail,
                settlesAt.isEmpty() ? new WriteAhead(held, identity) : null);
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
     * @param writeAhead the held identity on which each merge is written ahead, and whose remembered contact and
     *        merging lead are candidates; null while a create is unsettled (then nothing is written on the record)
     */
    private MergeResult merge(Contact user, String email, Optional<RequestedLead> requested, int cap,
            Set<String> attributesSetLater, Optional<List<Contact>> sameEmail, WriteAhead writeAhead) {
        List<SkippedLead> skipped = new ArrayList<>();
        List<Contact> leads = findLeads(user, email, requested, skipped, sameEmail, writeAhead);
        List<Contact> toMerge = leads.subList(0, Math.min(cap, leads.size()));

        Contact current = user;
        Map<String, Object> copy = AttributeCarryOver.missingOnUser(user, toMerge, attributesSetLater);
        if (!copy.isEmpty()) {
            current = orElse(intercom.updateContact(user.id(), ContactRequest.builder().customAttributes(copy).build()),
                    current);
        }
        List<String> merged = new ArrayList<>();
        for (Contact lead : toMerge) {
            if (writeAhead != null) {
                writeAhead.intendMerge(lead, current);
            }
            Optional<Contact> after = merge(lead, current, skipped);
            if (after.isPresent()) {
                current = orElse(after.get(), current);
                merged.add(lead.id());
            }
        }
        return new MergeResult(current, merged, List.copyOf(copy.keySet()), skipped, leads.size() - toMerge.size());
    }

    // ---- the user

    /**
     * @param sameEmail the contacts of the person's email that the sign-up's search found (its leads among them),
     *        so that the merge need not search again; empty when the user was found by {@code external_id}
     */
    private record ResolvedUser(Contact user, boolean created, Optional<List<Contact>> sameEmail) {

        ResolvedUser(Contact user, boolean created) {
            this(user, created, Optional.empty());
        }
    }

    /**
     * Under the {@code external_id:} claim: the one delivery that holds it finds or creates the user and remembers it;
     * one that finds the claim still held after the wait is deferred.
     */
    private ResolvedUser findOrCreateUser(IdentifyRequest request, Optional<RequestedLead> requested, String owner) {
        String identity = IdentityLedger.externalId(pseudonyms, request.externalId());
        try (HeldIdentities held = claims.hold(owner, budget.remaining(), identity)) {
            ResolvedUser resolved = findOrCreateUser(request, requested);
            held.remember(identity, resolved.user().id());
            return resolved;
        }
    }

    /** The user, found or created; a {@code lead_id} of another person is refused before anything is written. */
    private ResolvedUser findOrCreateUser(IdentifyRequest request, Optional<RequestedLead> requested) {
        Optional<Contact> byExternalId = findUserByExternalId(request.externalId());
        if (byExternalId.isPresent()) {
            Contact user = byExternalId.get();
            requireLeadOfPerson(requested, user.id(),
                    request.email() != null ? request.email() : Emails.normalize(user.email()));
            return new ResolvedUser(user, false);
        }
        if (request.email() == null) {
            requireLeadOfPerson(requested, null, null);
            return create(request, Optional.empty());
        }
        // one search of the email, whatever the role: the user it may adopt and the leads the merge needs
        List<Contact> sameEmail = intercom.search(SearchQuery.of(SearchFilter.field("email").eq(request.email())))
                .stream().toList();
        Optional<Contact> byEmail = unclaimedUserByEmail(sameEmail, request.email(), request.externalId());
        requireLeadOfPerson(requested, byEmail.map(Contact::id).orElse(null), request.email());
        if (byEmail.isPresent()) {
            return new ResolvedUser(byEmail.get(), false, Optional.of(sameEmail));
        }
        return create(request, Optional.of(sameEmail));
    }

    /**
     * A {@code lead_id} is honoured only for a lead of this person: one whose email is theirs, or that has none (a
     * Messenger visitor who never gave one). An application that forwards a browser's Messenger id would otherwise let
     * one person pull another visitor's lead, conversations included, into their account. Read by id, not taken from
     * search, which may show an email from before the last change.
     *
     * @param userId the user found, or null when it is about to be created
     * @param personEmail the email the user has after this event (normalized), or null when it has none
     */
    private void requireLeadOfPerson(Optional<RequestedLead> requested, String userId, String personEmail) {
        Optional<Contact> foreign = requested.filter(lead -> !lead.id().equals(userId))
                .flatMap(RequestedLead::contact)
                .filter(lead -> lead.isLead() && !isLeadOf(lead, personEmail));
        if (foreign.isPresent()) {
            throw new WebhookException(422, "lead_email_mismatch", "lead_id names a lead whose email is not this"
                    + " person's: it is not merged, and nothing was written", "lead_id");
        }
    }

    /** Whether a lead named by id may be merged into the person with this (normalized) email, or none (null). */
    private static boolean isLeadOf(Contact lead, String personEmail) {
        Optional<String> leadEmail = normalized(lead.email());
        return leadEmail.isEmpty() || leadEmail.get().equals(personEmail);
    }

    private Optional<Contact> findUserByExternalId(String externalId) {
        try {
            return intercom.findUserByExternalId(externalId).filter(Contact::isUser);
        } catch (IntercomException.Gone e) {
            // merged away (API 2.16+): the create below answers 409 with the contact that holds the identity now
            return Optional.empty();
        }
    }

    /**
     * A user with this email that no other external_id claims: two users may share an email when their external
     * ids differ, and we must not take over someone else's user. The oldest wins when there are several.
     */
    private static Optional<Contact> unclaimedUserByEmail(List<Contact> sameEmail, String email, String externalId) {
        return sameEmail.stream()
                .filter(Contact::isUser)
                .filter(c -> email.equals(Emails.normalize(c.email())))
                .filter(c -> c.externalId() == null || c.externalId().equals(externalId))
                .min(OLDEST_FIRST);
    }

    private ResolvedUser create(IdentifyRequest request, Optional<List<Contact>> sameEmail) {
        ContactRequest body = ContactRequest.builder()
                .role(Contact.ROLE_USER)
                .externalId(request.externalId())
                .email(request.email())
                .name(request.name())
                .phone(request.phone())
                .signedUpAt(request.signedUpAt())
                .customAttributes(request.customAttributes())
                .build();
        try {
            return new ResolvedUser(intercom.createContact(body), true, sameEmail);
        } catch (IntercomException.Conflict conflict) {
            return new ResolvedUser(conflictingUser(conflict, request.externalId()), false, sameEmail);
        }
    }

    /** A 409 is the answer, not an error: the contact it names is the user (unarchived first if archived). */
    private Contact conflictingUser(IntercomException.Conflict conflict, String externalId) {
        String id = conflict.existingContactId().orElseThrow(() -> new IdentityConflictException("identity_conflict",
                "Intercom refused to create the user (409) without naming the existing contact", false));
        if (conflict.archived()) {
            intercom.unarchiveContact(id);
        }
        Contact existing = intercom.findContact(id).orElseThrow(() -> new IdentityConflictException(
                "identity_conflict", "Intercom named contact " + id + " in its 409, but it cannot be read", true));
        if (!existing.isUser()) {
            throw new IdentityConflictException("identity_conflict",
                    "The contact Intercom named in its 409 (" + id + ") is a " + existing.role() + ", not a user", false);
        }
        if (existing.externalId() != null && !existing.externalId().equals(externalId)) {
            throw new IdentityConflictException("identity_conflict", "The user Intercom named in its 409 (" + id
                    + ") belongs to another external_id", false);
        }
        return existing;
    }

    /** The event's own fields and attributes, written after the merges so that they win; only what differs. */
    private Contact applyEventAttributes(Contact user, IdentifyRequest request) {
        ContactRequest.Builder update = ContactRequest.builder();
        boolean changed = false;
        if (!request.externalId().equals(user.externalId())) {
            update.externalId(request.externalId());
            changed = true;
        }
        if (request.email() != null && !request.email().equals(Emails.normalize(user.email()))) {
            update.email(request.email());
            changed = true;
        }
        if (request.name() != null && !request.name().equals(user.name())) {
            update.name(request.name());
            changed = true;
        }
        if (request.phone() != null && !request.phone().equals(user.phone())) {
            update.phone(request.phone());
            changed = true;
        }
        if (request.signedUpAt() != null && !request.signedUpAt().equals(user.signedUpAt())) {
            update.signedUpAt(request.signedUpAt());
            changed = true;
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        request.customAttributes().forEach((key, value) -> {
            if (!sameValue(user.customAttributesOrEmpty().get(key), value)) {
                attributes.put(key, value);
            }
        });
        if (!attributes.isEmpty()) {
            update.customAttributes(attributes);
            changed = true;
        }
        return changed ? orElse(intercom.updateContact(user.id(), update.build()), user) : user;
    }

    // ---- the leads

    /**
     * The leads to merge, the requested one first, then the oldest first.
     *
     * @param sameEmail the sign-up's search of the email, whose users are not candidates; empty: search the leads
     */
    private List<Contact> findLeads(Contact user, String email, Optional<RequestedLead> requestedLead,
            List<SkippedLead> skipped, Optional<List<Contact>> sameEmail, WriteAhead writeAhead) {
        Optional<String> requested = requestedLead.map(RequestedLead::id);
        Map<String, Contact> leads = new LinkedHashMap<>();
        if (email != null) {
            List<Contact> found = sameEmail.map(contacts -> contacts.stream().filter(Contact::isLead).toList())
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
                .thenComparing(OLDEST_FIRST));
        return ordered;
    }

    /** The given lead, when it is a lead with the person's email or none. */
    private void addRequestedLead(Contact user, String email, RequestedLead requested, Map<String, Contact> leads,
            List<SkippedLead> skipped) {
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
        } else if (!isLeadOf(lead.get(), email)) {
            skipped.add(new SkippedLead(id, SkippedLead.Reason.OTHER_EMAIL));
        } else {
            leads.put(id, lead.get());
        }
    }

    private Optional<RequestedLead> requestedLead(Optional<String> leadId) {
        return leadId.map(String::trim).filter(id -> !id.isEmpty()).map(RequestedLead::new);
    }

    /**
     * A lead named by id (identify's {@code lead_id}, the audit's lead): read by id at most once, when it is first
     * needed, unless the email search showed it first.
     */
    private final class RequestedLead {

        private final String id;
        private Optional<Contact> known; // null until read or seen

        RequestedLead(String id) {
            this.id = id;
        }

        String id() {
            return id;
        }

        /** As read by id, or as the search showed it; empty when it is gone. */
        Optional<Contact> contact() {
            if (known == null) {
                known = readContact(id);
            }
            return known;
        }

        /** A read by id stays the truth: search may show the lead from before its last change. */
        void seenInSearch(Contact contact) {
            if (known == null) {
                known = Optional.of(contact);
            }
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
                .forEach(id -> readContact(id)
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
            Optional<Contact> lead404 = readContact(lead.id());
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

    /**
     * The ledger's {@code email:} identity names the person's contact for lead capture: after the merges and the email
     * change that is the user (search may not show it yet), and a merged lead's id is dead and must not be handed out
     * again. The old email of a user whose email changed no longer names it.
     */
    private void rememberUser(HeldIdentities held, Optional<String> email, Optional<String> previous, Contact user,
            MergeResult merge) {
        email.ifPresent(address -> {
            String identity = IdentityLedger.email(pseudonyms, address);
            if (address.equals(Emails.normalize(user.email()))) {
                held.remember(identity, user.id());
                return;
            }
            Optional<String> remembered = held.claim(identity).contactId();
            boolean stale = !merge.mergedLeadIds().isEmpty() || remembered.filter(id -> id.equals(user.id())
                    || merge.skipped().stream().anyMatch(s -> s.id().equals(id)
                            && s.reason() == SkippedLead.Reason.GONE)).isPresent();
            if (stale) {
                held.forget(identity);
            }
        });
        previous.map(address -> IdentityLedger.email(pseudonyms, address))
                .filter(identity -> held.claim(identity).contactId().filter(user.id()::equals).isPresent())
                .ifPresent(held::forget);
    }

    private Optional<Contact> readContact(String id) {
        try {
            return intercom.findContact(id);
        } catch (IntercomException.Gone e) {
            return Optional.empty();
        }
    }

    private static Optional<String> normalized(String email) {
        return Optional.ofNullable(Emails.normalize(email)).filter(e -> !e.isBlank());
    }

    private static Contact orElse(Contact answered, Contact previous) {
        return answered == null || answered.id() == null ? previous : answered;
    }

    static boolean sameValue(Object current, Object wanted) {
        if (current instanceof Number a && wanted instanceof Number b) {
            try {
                return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString())) == 0;
            } catch (NumberFormatException e) {
                return a.equals(b);
            }
        }
        return Objects.equals(current, wanted);
    }
}
