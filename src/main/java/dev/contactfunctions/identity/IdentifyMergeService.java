package dev.contactfunctions.identity;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import dev.contactfunctions.intercom.CallBudget;
import dev.contactfunctions.intercom.IntercomClient;
import dev.contactfunctions.intercom.IntercomException;
import dev.contactfunctions.intercom.model.Contact;
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

    private final IntercomClient intercom;
    private final IdentityClaims claims;
    private final CallBudget budget;
    private final WorkspaceAttributes workspaceAttributes;
    private final IdentifyMergeConfig config;
    private final Pseudonyms pseudonyms;
    private final UserResolver users;
    private final LeadMerger leads;

    IdentifyMergeService(IntercomClient intercom, IdentityClaims claims, CallBudget budget,
            WorkspaceAttributes workspaceAttributes, IdentifyMergeConfig config, LedgerConfig ledgerConfig,
            Clock clock, Pseudonyms pseudonyms) {
        this.pseudonyms = pseudonyms;
        this.intercom = intercom;
        this.claims = claims;
        this.budget = budget;
        this.workspaceAttributes = workspaceAttributes;
        this.config = config;
        this.users = new UserResolver(intercom, claims, budget, pseudonyms);
        this.leads = new LeadMerger(intercom, pseudonyms, ledgerConfig.createSettle(), clock);
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
        Optional<RequestedLead> requested = RequestedLead.of(request.leadIdOptional(), intercom);
        UserResolver.ResolvedUser resolved = users.findOrCreate(request, requested, deliveryId);
        Optional<String> stored = normalized(resolved.user().email());
        Optional<String> email = request.email() != null ? Optional.of(request.email()) : stored;
        Optional<String> previous = stored.filter(old -> !email.equals(Optional.of(old)));
        try (HeldIdentities held = holdEmails(deliveryId, email, previous)) {
            MergeLeads toMerge = new MergeLeads(resolved.user(), email.orElse(null), request.leadIdOptional(),
                    config.maxLeadsPerEvent(), deliveryId);
            MergeResult merge = leads.merge(new LeadMerger.Job(toMerge, requested,
                    request.customAttributes().keySet(), resolved.sameEmail()), held);
            Contact user = users.applyEventAttributes(merge.user(), request);
            rememberUser(held, email, previous, user, merge);
            return new IdentifyResult(resolved.created(), new MergeResult(user, merge.mergedLeadIds(),
                    merge.attributesCopied(), merge.skipped(), merge.excessLeads()));
        }
    }

    /**
     * Merges into the user every lead with the email (search, all pages) and the lead named by id when it is a lead
     * with that email or none (see {@link MergeLeads}). Before merging, copies to the user each custom attribute the
     * leads have and the user lacks, in one update ({@code first_*} attributes: the oldest lead's value). Leads
     * already gone (404, 410), not leads any more, or (the lead named by id) with another email are reported as
     * skipped. Leads past the cap are left and counted as excess: the lead named by id first, then the oldest.
     *
     * @throws IntercomException when Intercom fails before all merges are done; repeating the call completes them
     * @throws IdentityConflictException when the user vanishes in the middle
     */
    public MergeResult mergeLeadsInto(MergeLeads request) {
        Optional<String> email = request.normalizedEmail();
        try (HeldIdentities held = holdEmails(request.owner(), email, Optional.empty())) {
            MergeResult merged = leads.merge(LeadMerger.Job.of(request, intercom), held);
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

    static Optional<String> normalized(String email) {
        return Optional.ofNullable(Emails.normalize(email)).filter(e -> !e.isBlank());
    }

    static Contact orElse(Contact answered, Contact previous) {
        return answered == null || answered.id() == null ? previous : answered;
    }
}
