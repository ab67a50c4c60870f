package dev.contactfunctions.leadcapture;


import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.contactfunctions.deferral.DeferredDelivery;
import dev.contactfunctions.deferral.DeferredDeliveryProcessor;
import dev.contactfunctions.deferral.WebhookDelivery;
import dev.contactfunctions.deferral.DeliveryAnswer;
import dev.contactfunctions.deferral.DeliveryLifecycle;
import dev.contactfunctions.deferral.Disposition;
import dev.contactfunctions.invocation.JsonMapping;
import dev.contactfunctions.ledger.IdentityLedger;
import dev.contactfunctions.identifiers.Pseudonyms;
import dev.contactfunctions.webhook.WebhookException;

/**
 * Lead deliveries through the delivery ledger and the deferral queue ({@link DeliveryLifecycle}): from the webhook
 * ({@link #accept}) and, as the processor of route {@value #ROUTE}, from the queue ({@link #process}). A lead waits on
 * the queue as its canonical JSON body, grouped by the person's {@code email:} identity.
 */
@ApplicationScoped
public class LeadCaptureDeliveries implements DeferredDeliveryProcessor {

    public static final String ROUTE = "lead-capture";
    /** Ledger keys of lead deliveries: this prefix and the delivery id (the Idempotency-Key, or a generated id). */
    static final String LEDGER_PREFIX = "lead-capture:";

    private final LeadCaptureService service;
    private final DeliveryLifecycle lifecycle;
    private final Pseudonyms pseudonyms;
    private final FormPolicy policy;

    LeadCaptureDeliveries(LeadCaptureService service, DeliveryLifecycle lifecycle, Pseudonyms pseudonyms,
            FormPolicy policy) {
        this.service = service;
        this.lifecycle = lifecycle;
        this.pseudonyms = pseudonyms;
        this.policy = policy;
    }

    /**
     * One delivery from the webhook: done (200 {@code {contact_id, role, outcome}}), queued or in progress. What a
     * form may not write is refused first ({@link FormPolicy#admit}), before the ledger and the queue: a delivery
     * refused now is never queued to be tried later. Throws {@link WebhookException} (refused, nothing written),
     * {@link dev.contactfunctions.intercom.IntercomException} (Intercom refused what we sent) or
     * {@link dev.contactfunctions.deferral.DeferralException} (Intercom unreachable and the queue too).
     *
     * @param deliveryId the sender's Idempotency-Key, or an id generated for this request
     */
    public DeliveryAnswer accept(LeadSubmission lead, String deliveryId) {
        policy.admit(lead);
        WebhookDelivery delivery = delivery(lead, deliveryId, LEDGER_PREFIX + deliveryId);
        return lifecycle.accept(delivery, () -> service.capture(lead, delivery.ledgerKey()).body(),
                DeliveryLifecycle.TRANSIENT);
    }

    @Override
    public String route() {
        return ROUTE;
    }

    /**
     * One delivery from the deferral queue: done exactly once, or back on the queue. It is admitted again
     * ({@link FormPolicy#admit}, with the settings of now): a queued delivery can do no more than a direct one, and
     * one the settings no longer allow goes to the dead-letter queue unwritten.
     */
    @Override
    public Disposition process(DeferredDelivery deferred) {
        return lifecycle.resumeRequest(deferred, LEDGER_PREFIX,
                payload -> policy.admit(LeadSubmission.from(payload, false)),
                lead -> requestFingerprint(lead, pseudonyms), lead -> service.capture(lead, deferred.deliveryId()).body(),
                DeliveryLifecycle.TRANSIENT);
    }

    private WebhookDelivery delivery(LeadSubmission lead, String deliveryId, String ledgerKey) {
        return new WebhookDelivery(ROUTE, ledgerKey, deliveryId, IdentityLedger.email(pseudonyms, lead.email()), lead.toBody(),
                requestFingerprint(lead, pseudonyms));
    }

    /** A digest of the validated lead: the same delivery always gives the same value. */
    static String requestFingerprint(LeadSubmission lead, Pseudonyms pseudonyms) {
        try {
            return pseudonyms.request(JsonMapping.mapper().writeValueAsBytes(lead));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
