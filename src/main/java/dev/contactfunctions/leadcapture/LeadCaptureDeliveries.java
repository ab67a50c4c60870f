package dev.contactfunctions.leadcapture;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.deferral.DeferralQueue;
import dev.contactfunctions.deferral.DeferredDelivery;
import dev.contactfunctions.deferral.DeferredDeliveryProcessor;
import dev.contactfunctions.deferral.Disposition;
import dev.contactfunctions.intercom.IntercomException;
import dev.contactfunctions.ledger.DeliveryLedger;
import dev.contactfunctions.ledger.DeliveryStart;
import dev.contactfunctions.ledger.IdentityBusyException;
import dev.contactfunctions.ledger.IdentityLedger;
import dev.contactfunctions.ledger.LedgerConfig;
import dev.contactfunctions.support.Emails;
import dev.contactfunctions.webhook.WebhookException;

/**
 * The life of a lead delivery in the delivery ledger, from the webhook and from the deferral queue.
 * <ul>
 * <li>The webhook starts the delivery ({@code startDelivery}, a conditional write): a delivery answered before is
 * answered again without any call (200, or 202 while it waits on the queue), a concurrent duplicate gets 409.</li>
 * <li>When Intercom cannot be reached within the budget (429 beyond it, 5xx after retries, circuit open, budget
 * spent) or another delivery of the person holds its identity, the validated lead goes on the deferral queue first and
 * the ledger then marks it queued: 202. A failed enqueue leaves no "queued" record that would answer a retry with 202
 * while nothing waits: the delivery is abandoned and the sender told 503 (retry).</li>
 * <li>The queue consumer resumes the delivery ({@link #process}): done once, whatever the number of receives; when it
 * fails again the ledger says queued again and the message comes back, until the dead-letter queue.</li>
 * </ul>
 * Any other failure abandons the delivery, so that the sender's retry starts afresh.
 */
@ApplicationScoped
public class LeadCaptureDeliveries implements DeferredDeliveryProcessor {

    public static final String ROUTE = "lead-capture";
    /** Ledger keys of lead deliveries: this prefix and the delivery id (the Idempotency-Key, or a generated id). */
    static final String LEDGER_PREFIX = "lead-capture:";
    private static final Logger LOG = Logger.getLogger(LeadCaptureDeliveries.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LeadCaptureService service;
    private final DeliveryLedger ledger;
    private final DeferralQueue queue;
    private final LedgerConfig ledgerConfig;
    private final Clock clock;

    LeadCaptureDeliveries(LeadCaptureService service, DeliveryLedger ledger, DeferralQueue queue,
            LedgerConfig ledgerConfig, Clock clock) {
        this.service = service;
        this.ledger = ledger;
        this.queue = queue;
        this.ledgerConfig = ledgerConfig;
        this.clock = clock;
    }

    /**
     * One delivery from the webhook. Throws {@link WebhookException} (refused, nothing written),
     * {@link IntercomException} (Intercom refused what we sent) or
     * {@link dev.contactfunctions.deferral.DeferralException} (Intercom unreachable and the queue too: 503).
     *
     * @param deliveryId the sender's Idempotency-Key, or an id generated for this request
     */
    public LeadDelivery accept(LeadSubmission lead, String deliveryId) {
        String key = LEDGER_PREFIX + deliveryId;
        String fingerprint = requestFingerprint(lead);
        DeliveryStart start = ledger.startDelivery(key, ledgerConfig.claimHold());
        if (start instanceof DeliveryStart.Completed completed) {
            return new LeadDelivery.Captured(replay(completed.outcomeJson(), fingerprint));
        }
        if (start instanceof DeliveryStart.Queued queued) {
            requireSameLead(read(queued.outcomeJson()), fingerprint);
            return new LeadDelivery.Queued(deliveryId, true, "repeated");
        }
        if (start instanceof DeliveryStart.InProgress) {
            return new LeadDelivery.InProgress(deliveryId);
        }
        try {
            LeadOutcome outcome = service.capture(lead, key);
            ledger.recordOutcome(key, outcomeJson(outcome, fingerprint));
            return new LeadDelivery.Captured(outcome);
        } catch (RuntimeException failure) {
            if (!deferrable(failure)) {
                ledger.abandonDelivery(key);
                throw failure;
            }
            defer(lead, deliveryId, key, fingerprint, failure);
            return new LeadDelivery.Queued(deliveryId, false, describe(failure));
        }
    }

    @Override
    public String route() {
        return ROUTE;
    }

    /** One delivery from the deferral queue: done exactly once, or back on the queue. */
    @Override
    public Disposition process(DeferredDelivery delivery) {
        String key = delivery.deliveryId();
        DeliveryStart start = ledger.resumeDelivery(key, ledgerConfig.claimHold());
        if (start instanceof DeliveryStart.Completed) {
            LOG.infof("lead_capture deferred %s was already done; dropped", delivery);
            return Disposition.DONE;
        }
        if (!(start instanceof DeliveryStart.Started)) {
            LOG.infof("lead_capture deferred %s is being processed elsewhere; it comes back later", delivery);
            return Disposition.RETRY;
        }
        String deliveryId = key.startsWith(LEDGER_PREFIX) ? key.substring(LEDGER_PREFIX.length()) : key;
        LeadSubmission lead;
        try {
            lead = LeadSubmission.from((ObjectNode) delivery.payload(), false);
        } catch (WebhookException | ClassCastException e) {
            // was valid when the webhook took it: only a change of the rules can get here; the dead-letter queue keeps it
            ledger.deferDelivery(key, queuedJson(deliveryId, "unreadable"));
            LOG.errorf("lead_capture deferred %s no longer passes validation (%s); it stays queued until dead-lettered",
                    delivery, e.getMessage());
            return Disposition.RETRY;
        }
        String fingerprint = requestFingerprint(lead);
        long started = System.nanoTime();
        try {
            LeadOutcome outcome = service.capture(lead, key);
            ledger.recordOutcome(key, outcomeJson(outcome, fingerprint));
            LOG.infof("lead_capture status=deferred_done outcome=%s contact_id=%s role=%s delivery_id=%s attempt=%d"
                    + " email_fp=%s duration_ms=%d", outcome.outcome(), outcome.contactId(), outcome.role(),
                    deliveryId, delivery.attempt(), Emails.fingerprint(lead.email()),
                    (System.nanoTime() - started) / 1_000_000);
            return Disposition.DONE;
        } catch (RuntimeException failure) {
            ledger.deferDelivery(key, queuedJson(deliveryId, fingerprint));
            if (deferrable(failure)) {
                LOG.warnf("lead_capture deferred %s failed again (%s); it comes back later", delivery,
                        describe(failure));
            } else {
                LOG.errorf("lead_capture deferred %s was refused (%s); it comes back until it is dead-lettered",
                        delivery, describe(failure));
            }
            return Disposition.RETRY;
        }
    }

    /** Transient Intercom failures and a busy identity wait on the queue; anything else is the sender's to see. */
    static boolean deferrable(RuntimeException failure) {
        return failure instanceof IdentityBusyException
                || failure instanceof IntercomException intercom && intercom.isTransient();
    }

    private void defer(LeadSubmission lead, String deliveryId, String key, String fingerprint,
            RuntimeException cause) {
        DeferredDelivery deferred = DeferredDelivery.first(ROUTE, lead.toBody(), IdentityLedger.email(lead.email()),
                key, clock.instant());
        try {
            queue.enqueue(deferred); // first: a "queued" record must never answer a retry while nothing waits
        } catch (RuntimeException e) {
            ledger.abandonDelivery(key);
            e.addSuppressed(cause);
            throw e;
        }
        try {
            ledger.deferDelivery(key, queuedJson(deliveryId, fingerprint));
        } catch (RuntimeException e) {
            // it waits on the queue all the same; the consumer takes the delivery over once its hold has run out
            LOG.warnf("lead_capture %s is queued but the ledger could not mark it (%s)", deferred,
                    e.getClass().getSimpleName());
        }
    }

    // ---- ledger records

    private static LeadOutcome replay(String json, String fingerprint) {
        JsonNode recorded = read(json);
        requireSameLead(recorded, fingerprint);
        try {
            return new LeadOutcome(recorded.path("contact_id").asText(), recorded.path("role").asText(null),
                    LeadOutcome.Outcome.valueOf(recorded.path("outcome").asText()), true);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the recorded outcome of this delivery cannot be read", e);
        }
    }

    private static void requireSameLead(JsonNode recorded, String fingerprint) {
        if (!fingerprint.equals(recorded.path("request").asText())) {
            throw new WebhookException(422, "idempotency_key_reused",
                    "This Idempotency-Key was used for a different lead; use a new key per delivery",
                    LeadCaptureHandler.IDEMPOTENCY_KEY);
        }
    }

    static String outcomeJson(LeadOutcome outcome, String fingerprint) {
        Map<String, Object> recorded = new LinkedHashMap<>(outcome.body());
        recorded.put("request", fingerprint);
        return write(recorded);
    }

    static String queuedJson(String deliveryId, String fingerprint) {
        Map<String, Object> recorded = new LinkedHashMap<>();
        recorded.put("status", "queued");
        recorded.put("delivery_id", deliveryId);
        recorded.put("request", fingerprint);
        return write(recorded);
    }

    private static String write(Map<String, Object> record) {
        try {
            return JSON.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json == null ? "{}" : json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the ledger record of this delivery is not JSON", e);
        }
    }

    /** A digest of the validated lead: the same delivery always gives the same value. */
    static String requestFingerprint(LeadSubmission lead) {
        try {
            byte[] canonical = JSON.writeValueAsBytes(lead);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Why a delivery was deferred, for logs: never the exception's message, which may quote an email address. */
    private static String describe(RuntimeException failure) {
        if (failure instanceof IntercomException e) {
            return "intercom_http_" + e.status() + (e.code() == null ? "" : "_" + e.code()) + " request_id="
                    + e.requestId().orElse("-");
        }
        if (failure instanceof IdentityBusyException) {
            return "identity_busy";
        }
        return failure.getClass().getSimpleName();
    }
}
