package dev.contactfunctions.identity;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.deferral.DeferralQueue;
import dev.contactfunctions.deferral.DeferredDelivery;
import dev.contactfunctions.deferral.DeferredDeliveryProcessor;
import dev.contactfunctions.deferral.WebhookDelivery;
import dev.contactfunctions.deferral.DeliveryAnswer;
import dev.contactfunctions.deferral.DeliveryLifecycle;
import dev.contactfunctions.deferral.Disposition;
import dev.contactfunctions.intercom.IntercomClient;
import dev.contactfunctions.intercom.model.Contact;
import dev.contactfunctions.ledger.IdentityLedger;
import dev.contactfunctions.ledger.LedgerConfig;
import dev.contactfunctions.identifiers.Emails;
import dev.contactfunctions.identifiers.Pseudonyms;
import dev.contactfunctions.webhook.ApiResponses;
import dev.contactfunctions.webhook.RequestBodies;
import dev.contactfunctions.webhook.WebhookException;
import dev.contactfunctions.webhook.WebhookRequest;
import dev.contactfunctions.webhook.RequiredSettings;
import dev.contactfunctions.webhook.WebhookSecrets;

/**
 * {@code POST /webhooks/intercom}: Intercom's notifications, signed with {@code X-Hub-Signature}. A user created or
 * a lead signed up gets the leads of its email merged in; {@code ping} and other topics are acknowledged. Every
 * notification id goes through the delivery ledger ({@link DeliveryLifecycle}): one already answered (Intercom retries
 * once after a minute) is answered again without work; one Intercom cannot take within the 5 seconds Intercom waits
 * is queued and acknowledged at once ({@code status: queued}), since Intercom would retry it only once; any other
 * failure is abandoned, so that Intercom's retry does the work. One that another invocation holds is queued too and
 * acknowledged: that holder may have died, and Intercom would not send it again. As the processor of route
 * {@value #ROUTE} it finishes the queued ones.
 *
 * <p>A notification is judged by its age when it is received, never when it comes off the queue: one created longer
 * ago than {@code identify-merge.notification-max-age}, or dated ahead of our clock, is answered {@code ignored}
 * (and recorded so, like any answer); one queued while fresh is finished however long it waited.
 */
@ApplicationScoped
class IntercomNotificationEndpoint implements DeferredDeliveryProcessor {

    static final String ROUTE = "intercom-notification";
    static final String LEDGER_PREFIX = "intercom-notification:";

    private final WebhookSecrets secrets;
    private final IdentifyMergeService service;
    private final IntercomClient intercom;
    private final DeliveryLifecycle lifecycle;
    private final IdentifyMergeConfig config;
    private final DeferralQueue queue;
    private final Clock clock;
    private final Pseudonyms pseudonyms;
    private final RequiredSettings settings;
    private final Duration maxAge;

    IntercomNotificationEndpoint(WebhookSecrets secrets, IdentifyMergeService service, IntercomClient intercom,
            DeliveryLifecycle lifecycle, IdentifyMergeConfig config, LedgerConfig ledgerConfig, DeferralQueue queue,
            Clock clock, Pseudonyms pseudonyms, RequiredSettings settings) {
        this.settings = settings;
        this.pseudonyms = pseudonyms;
        this.secrets = secrets;
        this.service = service;
        this.intercom = intercom;
        this.lifecycle = lifecycle;
        this.config = config;
        this.queue = queue;
        this.clock = clock;
        // past the ledger's memory, a replay of a notification processed before would be processed again
        this.maxAge = config.notificationMaxAge().compareTo(ledgerConfig.ttl()) < 0 ? config.notificationMaxAge()
                : ledgerConfig.ttl();
    }

    APIGatewayV2HTTPResponse handle(WebhookRequest request, IdentifyMergeLogLine log) {
        request.requireBodyWithinLimit();
        secrets.hubSignatureVerifier().verify(request);
        settings.check();
        ObjectNode body = RequestBodies.parse(request, false);
        IntercomNotification notification = IntercomNotification.from(body);
        log.put("notification_id", notification.id()).put("topic", notification.topic())
                .put("delivery_attempts", notification.deliveryAttempts());

        WebhookDelivery delivery = new WebhookDelivery(ROUTE, LEDGER_PREFIX + notification.id(), notification.id(),
                identityOf(notification, pseudonyms), body, null);
        DeliveryAnswer answer = lifecycle.accept(delivery, () -> received(notification, log),
                IdentifyEndpoint.DEFERRABLE);
        if (answer instanceof DeliveryAnswer.Done done) {
            return done.replayed() ? duplicate(notification, done.body(), log) : ApiResponses.json(200, done.body());
        }
        if (answer instanceof DeliveryAnswer.Queued queued) {
            log.put("outcome", queued.again() ? "duplicate" : "queued").put("reason", queued.reason());
            return ApiResponses.json(200, acknowledgement(notification, queued.again() ? "duplicate" : "queued"));
        }
        // Intercom sends a notification twice at most, and a 409 would leave it to a holder that may have been
        // killed: the queue's consumer takes it over once that holder's hold has run out, or drops it as done
        queue.enqueue(DeferredDelivery.first(ROUTE, body, delivery.identity(), delivery.ledgerKey(), clock.instant()));
        log.put("outcome", "queued").put("reason", "in_progress");
        return ApiResponses.json(200, acknowledgement(notification, "queued"));
    }

    @Override
    public String route() {
        return ROUTE;
    }

    @Override
    public Disposition process(DeferredDelivery deferred) {
        IntercomNotification notification;
        try {
            notification = IntercomNotification.from((ObjectNode) deferred.payload());
        } catch (WebhookException | ClassCastException e) {
            return lifecycle.keepForDeadLetters(deferred, deferred.deliveryId(), "no longer a valid notification");
        }
        IdentifyMergeLogLine log = new IdentifyMergeLogLine("queue" + IdentifyMergeHandler.INTERCOM_PATH);
        return lifecycle.resume(deferred, notification.id(), null, () -> process(notification, log),
                IdentifyEndpoint.DEFERRABLE);
    }

    /** The person a notification is about, as the queue's group: the user's external id, else email, else contact. */
    static String identityOf(IntercomNotification notification, Pseudonyms pseudonyms) {
        Optional<Contact> contact = notification.contactOptional();
        if (contact.map(Contact::externalId).filter(id -> !id.isBlank()).isPresent()) {
            return IdentityLedger.externalId(pseudonyms, contact.get().externalId());
        }
        if (contact.map(Contact::email).filter(email -> !email.isBlank()).isPresent()) {
            return IdentityLedger.email(pseudonyms, Emails.normalize(contact.get().email()));
        }
        return contact.map(Contact::id).filter(id -> !id.isBlank()).map(id -> "contact:" + id)
                .orElse("notification:" + notification.id());
    }

    /** A notification as it arrives from Intercom: processed unless it is outside the replay window. */
    private Map<String, Object> received(IntercomNotification notification, IdentifyMergeLogLine log) {
        Optional<String> outside = notification.outsideWindow(clock.instant(), maxAge);
        if (outside.isPresent()) {
            return ignored(notification, outside.get(), log);
        }
        return process(notification, log);
    }

    private Map<String, Object> process(IntercomNotification notification, IdentifyMergeLogLine log) {
        if (config.intercomAppId().isPresent() && !config.intercomAppId().get().equals(notification.appId())) {
            return ignored(notification, "other_app", log);
        }
        return switch (notification.topic()) {
            case IntercomNotification.TOPIC_PING -> {
                log.put("outcome", "pong");
                yield acknowledgement(notification, "pong");
            }
            case IntercomNotification.TOPIC_USER_CREATED, IntercomNotification.TOPIC_LEAD_SIGNED_UP ->
                mergeLeadsOfUser(notification, log);
            default -> ignored(notification, "topic_not_handled", log);
        };
    }

    private static APIGatewayV2HTTPResponse duplicate(IntercomNotification notification, ObjectNode outcome,
            IdentifyMergeLogLine log) {
        log.put("outcome", "duplicate");
        Map<String, Object> body = acknowledgement(notification, "duplicate");
        body.put("first_outcome", outcome);
        return ApiResponses.json(200, body);
    }

    private Map<String, Object> mergeLeadsOfUser(IntercomNotification notification, IdentifyMergeLogLine log) {
        Contact item = notification.contactOptional().orElseThrow(() -> WebhookException.invalid("data.item",
                "data.item must be a contact for topic " + notification.topic()));
        if (item.id() == null || item.id().isBlank()) {
            throw new WebhookException(400, "missing_field", "data.item.id is required", "data.item.id");
        }
        Optional<Contact> user = Optional.of(item);
        if (!item.isUser() || item.email() == null || item.customAttributes() == null) {
            // the payload lacks what the merge needs, or the contact changed role: read what it is now
            user = intercom.findExistingContact(item.id());
        }
        if (user.isEmpty()) {
            return ignored(notification, "contact_gone", log);
        }
        if (!user.get().isUser()) {
            return ignored(notification, "not_a_user", log);
        }
        String email = Emails.normalize(user.get().email());
        log.email(email, pseudonyms);
        MergeResult result;
        try {
            // the notification's ledger key owns the email's claim: Intercom's one re-send, a minute after an
            // invocation killed while holding it, takes it over at once instead of waiting out the hold
            result = service.mergeLeadsInto(MergeLeads.of(user.get(), email, config.maxLeadsPerEvent())
                    .ownedBy(LEDGER_PREFIX + notification.id()));
        } catch (IdentityConflictException e) {
            // the user was deleted after Intercom notified us: a retry of this notification cannot change that
            if ("user_gone".equals(e.code())) {
                return ignored(notification, "contact_gone", log);
            }
            throw e;
        }
        log.put("outcome", "processed").merge(result);
        Map<String, Object> body = acknowledgement(notification, "processed");
        body.putAll(Answers.merged(result));
        return body;
    }

    private static Map<String, Object> ignored(IntercomNotification notification, String reason, IdentifyMergeLogLine log) {
        log.put("outcome", "ignored").put("reason", reason);
        Map<String, Object> body = acknowledgement(notification, "ignored");
        body.put("reason", reason);
        return body;
    }

    private static Map<String, Object> acknowledgement(IntercomNotification notification, String status) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("notification_id", notification.id());
        body.put("topic", notification.topic());
        return body;
    }
}
