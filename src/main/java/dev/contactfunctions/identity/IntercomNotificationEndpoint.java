package dev.contactfunctions.identity;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.contactfunctions.intercom.IntercomClient;
import dev.contactfunctions.intercom.IntercomException;
import dev.contactfunctions.intercom.model.Contact;
import dev.contactfunctions.ledger.DeliveryLedger;
import dev.contactfunctions.ledger.DeliveryStart;
import dev.contactfunctions.ledger.LedgerConfig;
import dev.contactfunctions.support.Emails;
import dev.contactfunctions.webhook.ApiResponses;
import dev.contactfunctions.webhook.RequestBodies;
import dev.contactfunctions.webhook.WebhookException;
import dev.contactfunctions.webhook.WebhookRequest;
import dev.contactfunctions.webhook.WebhookSecrets;

/**
 * {@code POST /webhooks/intercom}: Intercom's notifications, signed with {@code X-Hub-Signature}. A user created or
 * a lead signed up gets the leads of its email merged in; {@code ping} and other topics are acknowledged. Every
 * notification id goes through the delivery ledger: one already answered (Intercom retries once after a minute) is
 * answered again without work; a failed one is abandoned, so that Intercom's retry does the work.
 */
@ApplicationScoped
class IntercomNotificationEndpoint {

    static final String LEDGER_PREFIX = "intercom-notification:";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebhookSecrets secrets;
    private final IdentifyMergeService service;
    private final IntercomClient intercom;
    private final DeliveryLedger deliveries;
    private final IdentifyMergeConfig config;
    private final LedgerConfig ledgerConfig;

    IntercomNotificationEndpoint(WebhookSecrets secrets, IdentifyMergeService service, IntercomClient intercom,
            DeliveryLedger deliveries, IdentifyMergeConfig config, LedgerConfig ledgerConfig) {
        this.secrets = secrets;
        this.service = service;
        this.intercom = intercom;
        this.deliveries = deliveries;
        this.config = config;
        this.ledgerConfig = ledgerConfig;
    }

    APIGatewayV2HTTPResponse handle(WebhookRequest request, DeliveryLog log) {
        request.requireBodyWithinLimit();
        secrets.hubSignatureVerifier().verify(request);
        IntercomNotification notification = IntercomNotification.from(RequestBodies.parse(request, false));
        log.put("notification_id", notification.id()).put("topic", notification.topic())
                .put("delivery_attempts", notification.deliveryAttempts());

        String deliveryId = LEDGER_PREFIX + notification.id();
        DeliveryStart start = deliveries.startDelivery(deliveryId, ledgerConfig.claimHold());
        if (start instanceof DeliveryStart.Completed done) {
            return duplicate(notification, done.outcomeJson(), log);
        }
        if (start instanceof DeliveryStart.Queued queued) {
            return duplicate(notification, queued.outcomeJson(), log);
        }
        if (start instanceof DeliveryStart.InProgress) {
            log.put("outcome", "in_progress");
            throw new WebhookException(409, "delivery_in_progress",
                    "Notification " + notification.id() + " is being processed by another invocation");
        }
        try {
            Map<String, Object> body = process(notification, log);
            deliveries.recordOutcome(deliveryId, writeJson(body));
            return ApiResponses.json(200, body);
        } catch (RuntimeException failure) {
            deliveries.abandonDelivery(deliveryId); // Intercom's retry a minute later does the work again
            throw failure;
        }
    }

    private Map<String, Object> process(IntercomNotification notification, DeliveryLog log) {
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

    private static APIGatewayV2HTTPResponse duplicate(IntercomNotification notification, String outcome,
            DeliveryLog log) {
        log.put("outcome", "duplicate");
        Map<String, Object> body = acknowledgement(notification, "duplicate");
        body.put("first_outcome", readJson(outcome));
        return ApiResponses.json(200, body);
    }

    private Map<String, Object> mergeLeadsOfUser(IntercomNotification notification, DeliveryLog log) {
        Contact item = notification.contactOptional().orElseThrow(() -> WebhookException.invalid("data.item",
                "data.item must be a contact for topic " + notification.topic()));
        if (item.id() == null || item.id().isBlank()) {
            throw new WebhookException(400, "missing_field", "data.item.id is required", "data.item.id");
        }
        Optional<Contact> user = Optional.of(item);
        if (!item.isUser() || item.email() == null || item.customAttributes() == null) {
            // the payload lacks what the merge needs, or the contact changed role: read what it is now
            user = readContact(item.id());
        }
        if (user.isEmpty()) {
            return ignored(notification, "contact_gone", log);
        }
        if (!user.get().isUser()) {
            return ignored(notification, "not_a_user", log);
        }
        String email = Emails.normalize(user.get().email());
        log.email(email);
        MergeResult result;
        try {
            result = service.mergeLeadsInto(user.get(), email, Optional.empty());
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

    private Optional<Contact> readContact(String id) {
        try {
            return intercom.findContact(id);
        } catch (IntercomException.Gone e) {
            return Optional.empty();
        }
    }

    private static Map<String, Object> ignored(IntercomNotification notification, String reason, DeliveryLog log) {
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

    private static String writeJson(Map<String, Object> body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("outcome could not be serialized", e);
        }
    }

    private static Object readJson(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return json;
        }
    }
}
