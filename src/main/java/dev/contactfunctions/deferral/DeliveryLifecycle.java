package dev.contactfunctions.deferral;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.intercom.IntercomException;
import dev.contactfunctions.invocation.JsonMapping;
import dev.contactfunctions.ledger.DeliveryLedger;
import dev.contactfunctions.ledger.DeliveryStart;
import dev.contactfunctions.ledger.IdentityBusyException;
import dev.contactfunctions.ledger.LedgerConfig;
import dev.contactfunctions.webhook.WebhookException;

/**
 * The life of a webhook delivery in the delivery ledger and the deferral queue, shared by the webhook functions.
 * <ul>
 * <li>{@link #accept}: the webhook starts the delivery ({@code startDelivery}, a conditional write). One answered
 * before is answered again without any work (its recorded answer, or queued while it waits); a concurrent duplicate is
 * told it is in progress. Otherwise the work runs; its answer is recorded.</li>
 * <li>When the work fails in a way a later attempt can fix ({@link #TRANSIENT}: Intercom unreachable within the
 * budget, another delivery of the person holding its identity), the delivery goes on the queue first and the ledger
 * then marks it queued. A failed enqueue leaves no "queued" record that would answer a retry while nothing waits: the
 * delivery is abandoned and {@link DeferralException} reaches the webhook (503, retry).</li>
 * <li>Any other failure abandons the delivery, so that the sender's retry starts afresh, and reaches the webhook.</li>
 * <li>{@link #resume}: the queue consumer takes a queued delivery over ({@code resumeDelivery}): it is done exactly
 * once whatever the number of receives. Each real attempt is counted in the ledger before the work starts; when it
 * fails again the ledger says queued again and the message comes back with its count, which the consumer compares
 * with the attempts allowed before the dead-letter queue. A busy identity is no attempt: its count is taken back and
 * the message comes back when the identity can be free.</li>
 * </ul>
 * A recorded answer carries the request's fingerprint, so that a delivery id reused for another request is refused
 * (422 {@code idempotency_key_reused}) instead of being answered with someone else's outcome.
 */
@ApplicationScoped
public class DeliveryLifecycle {

    /** Failures the deferral queue can fix: Intercom unreachable within the budget, a busy identity. */
    public static final Predicate<RuntimeException> TRANSIENT = failure -> failure instanceof IdentityBusyException
            || failure instanceof IntercomException intercom && intercom.isTransient();

    static final String FINGERPRINT = "request";
    private static final long HOLD_ROUNDING_SECONDS = 1;
    private static final Logger LOG = Logger.getLogger(DeliveryLifecycle.class);

    private final DeliveryLedger ledger;
    private final DeferralQueue queue;
    private final LedgerConfig config;
    private final Clock clock;

    @Inject
    public DeliveryLifecycle(DeliveryLedger ledger, DeferralQueue queue, LedgerConfig config, Clock clock) {
        this.ledger = ledger;
        this.queue = queue;
        this.config = config;
        this.clock = clock;
    }

    /**
     * One delivery as the webhook received it.
     *
     * @param delivery  what identifies it, and what waits on the queue if it has to
     * @param work      does the delivery and answers the body to record and send (200)
     * @param deferrable which failures of the work go on the queue ({@link #TRANSIENT}, or more)
     * @throws WebhookException 422 when the delivery id was answered before for another request
     * @throws DeferralException when the work has to be deferred and the queue refuses it
     */
    public DeliveryAnswer accept(WebhookDelivery delivery, Supplier<Map<String, ?>> work,
            Predicate<RuntimeException> deferrable) {
        DeliveryStart start = ledger.startDelivery(delivery.ledgerKey(), config.claimHold());
        if (start instanceof DeliveryStart.Completed completed) {
            return new DeliveryAnswer.Done(recorded(completed.outcomeJson(), delivery), true);
        }
        if (start instanceof DeliveryStart.Queued queued) {
            recorded(queued.outcomeJson(), delivery);
            return new DeliveryAnswer.Queued(delivery.deliveryId(), true, "repeated");
        }
        if (start instanceof DeliveryStart.InProgress inProgress) {
            return new DeliveryAnswer.InProgress(delivery.deliveryId(), retryAfterSeconds(inProgress.heldUntil()));
        }
        try {
            ObjectNode body = JsonMapping.mapper().valueToTree(work.get());
            ledger.recordOutcome(delivery.ledgerKey(), withFingerprint(body, delivery));
            return new DeliveryAnswer.Done(body, false);
        } catch (RuntimeException failure) {
            if (!deferrable.test(failure)) {
                ledger.abandonDelivery(delivery.ledgerKey());
                throw failure;
            }
            defer(delivery, failure);
            return new DeliveryAnswer.Queued(delivery.deliveryId(), false, describe(failure));
        }
    }

    /**
     * One delivery from the queue, finished by {@code work} (which answers the body to record).
     *
     * @param fingerprint the request's fingerprint (as in {@link WebhookDelivery}), or null when none is checked
     */
    public Disposition resume(DeferredDelivery deferred, String deliveryId, String fingerprint,
            Supplier<Map<String, ?>> work, Predicate<RuntimeException> deferrable) {
        String key = deferred.deliveryId();
        DeliveryStart start = ledger.resumeDelivery(key, config.claimHold());
        if (start instanceof DeliveryStart.Completed) {
            LOG.infof("%s was already done; dropped", deferred);
            return Disposition.DONE;
        }
        if (!(start instanceof DeliveryStart.Started)) {
            LOG.infof("%s is being processed elsewhere; it comes back later", deferred);
            return Disposition.RETRY;
        }
        WebhookDelivery delivery = new WebhookDelivery(deferred.route(), key, deliveryId, deferred.identity(), deferred.payload(),
                fingerprint);
        String receive = Integer.toString(deferred.attempt()); // one more per receive of the message
        int realAttempts = ledger.countAttempt(key, receive);
        long started = System.nanoTime();
        try {
            ObjectNode body = JsonMapping.mapper().valueToTree(work.get());
            ledger.recordOutcome(key, withFingerprint(body, delivery));
            LOG.infof("%s done in %d ms (real attempt %d)", deferred, (System.nanoTime() - started) / 1_000_000,
                    realAttempts);
            return Disposition.DONE;
        } catch (RuntimeException failure) {
            ledger.deferDelivery(key, queuedRecord(delivery));
            if (failure instanceof IdentityBusyException busy) {
                // waiting for another delivery of the person is no attempt at Intercom's work
                ledger.uncountAttempt(key, receive);
                Duration wait = busy.notBefore().map(at -> Duration.between(clock.instant(), at))
                        .orElse(Duration.ZERO);
                LOG.infof("%s waits for the person's identity; it comes back in %d s", deferred, wait.toSeconds());
                return Disposition.notAttempted(wait);
            }
            if (deferrable.test(failure)) {
                LOG.warnf("%s failed again (%s, real attempt %d); it comes back later", deferred, describe(failure),
                        realAttempts);
            } else {
                LOG.errorf("%s was refused (%s, real attempt %d); it comes back until it is dead-lettered, and its"
                        + " alarm calls", deferred, describe(failure), realAttempts);
            }
            return Disposition.retry(realAttempts);
        }
    }

    /**
     * One delivery from the queue, read back into the request the webhook accepted, then finished as by
     * {@link #resume}. A payload that no longer reads ({@code read} refuses it with a {@link WebhookException}, or it
     * is not an object: only a change of the rules gets here) is kept for the dead-letter queue.
     *
     * @param ledgerPrefix what the route puts before the delivery id in its ledger keys
     * @param read         the route's validation of a webhook body
     * @param fingerprint  the request's fingerprint (as in {@link WebhookDelivery})
     * @param work         does the request and answers the body to record
     */
    public <R> Disposition resumeRequest(DeferredDelivery deferred, String ledgerPrefix, Function<ObjectNode, R> read,
            Function<R, String> fingerprint, Function<R, Map<String, ?>> work,
            Predicate<RuntimeException> deferrable) {
        String key = deferred.deliveryId();
        String deliveryId = key.startsWith(ledgerPrefix) ? key.substring(ledgerPrefix.length()) : key;
        R request;
        try {
            request = read.apply((ObjectNode) deferred.payload());
        } catch (WebhookException | ClassCastException e) {
            return keepForDeadLetters(deferred, deliveryId, "no longer a valid " + deferred.route() + " request");
        }
        return resume(deferred, deliveryId, fingerprint.apply(request), () -> work.apply(request), deferrable);
    }

    /** Puts a delivery whose payload cannot be processed back as queued, and sends it to the dead-letter queue. */
    public Disposition keepForDeadLetters(DeferredDelivery deferred, String deliveryId, String why) {
        if (ledger.resumeDelivery(deferred.deliveryId(), config.claimHold()) instanceof DeliveryStart.Completed) {
            return Disposition.DONE;
        }
        ledger.deferDelivery(deferred.deliveryId(), queuedRecord(new WebhookDelivery(deferred.route(),
                deferred.deliveryId(), deliveryId, deferred.identity(), deferred.payload(), null)));
        LOG.errorf("%s cannot be processed (%s); it goes to the dead-letter queue", deferred, why);
        return Disposition.DEAD_LETTER;
    }

    private void defer(WebhookDelivery delivery, RuntimeException cause) {
        DeferredDelivery deferred = DeferredDelivery.first(delivery.route(), delivery.payload(), delivery.identity(),
                delivery.ledgerKey(), clock.instant());
        try {
            queue.enqueue(deferred); // first: a "queued" record must never answer a retry while nothing waits
        } catch (RuntimeException e) {
            ledger.abandonDelivery(delivery.ledgerKey());
            e.addSuppressed(cause);
            throw e instanceof DeferralException ? e : new DeferralException("The delivery could not be queued", e);
        }
        try {
            ledger.deferDelivery(delivery.ledgerKey(), queuedRecord(delivery));
        } catch (RuntimeException e) {
            // it waits on the queue all the same; the consumer takes the delivery over once its hold has run out
            LOG.warnf("%s is queued but the ledger could not mark it (%s)", deferred, e.getClass().getSimpleName());
        }
    }

    /**
     * Seconds until a holder's hold has run out, and a second more (the ledger keeps whole seconds): a retry then
     * takes the delivery over if the holder died, or gets its answer if it finished.
     */
    private long retryAfterSeconds(Instant heldUntil) {
        long millis = Duration.between(clock.instant(), heldUntil).toMillis();
        return Math.max(1, (millis + 999) / 1000 + HOLD_ROUNDING_SECONDS);
    }

    // ---- ledger records: the answer, with the request's fingerprint

    private static ObjectNode recorded(String json, WebhookDelivery delivery) {
        ObjectNode recorded;
        try {
            JsonNode node = JsonMapping.mapper().readTree(json == null ? "{}" : json);
            recorded = node instanceof ObjectNode object ? object : JsonMapping.mapper().createObjectNode();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the ledger record of this delivery is not JSON", e);
        }
        JsonNode fingerprint = recorded.remove(FINGERPRINT);
        if (delivery.fingerprint() != null && fingerprint != null
                && !delivery.fingerprint().equals(fingerprint.asText())) {
            throw new WebhookException(422, "idempotency_key_reused",
                    "This delivery id (Idempotency-Key) was used for a different request; use a new key per delivery",
                    "Idempotency-Key");
        }
        return recorded;
    }

    private static String withFingerprint(ObjectNode body, WebhookDelivery delivery) {
        ObjectNode recorded = body.deepCopy();
        if (delivery.fingerprint() != null) {
            recorded.put(FINGERPRINT, delivery.fingerprint());
        }
        return recorded.toString();
    }

    static String queuedRecord(WebhookDelivery delivery) {
        ObjectNode recorded = JsonMapping.mapper().createObjectNode().put("status", "queued")
                .put("delivery_id", delivery.deliveryId());
        return withFingerprint(recorded, delivery);
    }

    /** Why a delivery was deferred or failed, for logs: never the exception's message, which may quote an email. */
    public static String describe(RuntimeException failure) {
        if (failure instanceof IntercomException e) {
            return "intercom_" + (e.status() == 0 ? "no_answer" : "http_" + e.status())
                    + (e.code() == null ? "" : "_" + e.code()) + " request_id=" + e.requestId().orElse("-");
        }
        if (failure instanceof IdentityBusyException) {
            return "identity_busy";
        }
        return failure.getClass().getSimpleName();
    }
}
