package dev.contactfunctions.identity;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.deferral.DeferralQueue;
import dev.contactfunctions.deferral.DeferredDeliveryConsumer;
import dev.contactfunctions.deferral.DeliveryLifecycle;
import dev.contactfunctions.intercom.CallBudget;
import dev.contactfunctions.intercom.IntercomClient;
import dev.contactfunctions.leadcapture.LeadCaptureInstances;
import dev.contactfunctions.ledger.IdentityClaims;
import dev.contactfunctions.ledger.Ledger;
import dev.contactfunctions.ledger.LedgerConfig;
import dev.contactfunctions.identifiers.Pseudonyms;
import dev.contactfunctions.testsupport.BadInput;
import dev.contactfunctions.testsupport.TestPseudonyms;
import dev.contactfunctions.webhook.RequiredSettings;
import dev.contactfunctions.webhook.WebhookSecrets;
import io.quarkus.arc.Arc;

/**
 * identify-merge for tests outside this package (the reliability suite): separate function instances built by hand,
 * signed events, and the bad-input corpus of {@link IdentifyMergeBadInputTest}.
 */
public final class IdentifyMergeInstances {

    private IdentifyMergeInstances() {
    }

    /** One identify-merge function instance over a shared ledger, queue and Intercom (see LeadCaptureInstances). */
    public record Instance(IdentifyMergeHandler handler, DeferredDeliveryConsumer consumer,
            IdentifyMergeService service) {
    }

    public static Instance create(IntercomClient intercom, IdentifyMergeConfig config, Ledger ledger,
            LedgerConfig ledgerConfig, DeferralQueue queue, WebhookSecrets secrets, CallBudget budget, Clock clock) {
        return create(intercom, config, ledger, ledgerConfig, queue, secrets, budget, clock,
                Arc.container().instance(RequiredSettings.class).get(), TestPseudonyms.LOCAL);
    }

    /** As above, with the instance's own required settings and pseudonyms (e.g. a setting missing). */
    public static Instance create(IntercomClient intercom, IdentifyMergeConfig config, Ledger ledger,
            LedgerConfig ledgerConfig, DeferralQueue queue, WebhookSecrets secrets, CallBudget budget, Clock clock,
            RequiredSettings settings, Pseudonyms pseudonyms) {
        WorkspaceAttributes attributes = new WorkspaceAttributes(intercom, clock, config);
        IdentityClaims claims = new IdentityClaims(ledger, ledgerConfig, clock);
        IdentifyMergeService service = new IdentifyMergeService(intercom, claims, budget, attributes, config,
                ledgerConfig, clock, pseudonyms);
        DeliveryLifecycle lifecycle = new DeliveryLifecycle(ledger, queue, ledgerConfig, clock);
        IdentifyEndpoint identify = new IdentifyEndpoint(secrets, service, lifecycle, pseudonyms, settings);
        IntercomNotificationEndpoint notifications = new IntercomNotificationEndpoint(secrets, service, intercom,
                lifecycle, config, ledgerConfig, queue, clock, pseudonyms, settings);
        DeferredDeliveryConsumer consumer = new DeferredDeliveryConsumer(List.of(identify, notifications), budget,
                queue, LeadCaptureInstances.deferral().maxAttempts(), LeadCaptureInstances.deferral().notAttemptedReturn());
        return new Instance(new IdentifyMergeHandler(identify, notifications, new Answers(clock, config), budget,
                config, consumer), consumer, service);
    }

    /** An identify event (sign-up of {@code externalId} with {@code email}) under {@code idempotencyKey}, signed now. */
    public static String identifyEvent(String externalId, String email, String idempotencyKey) {
        ObjectNode body = LambdaEvents.JSON.createObjectNode().put("external_id", externalId).put("email", email)
                .put("name", "Ada Lovelace");
        body.putObject("custom_attributes").put("plan", "enterprise");
        ObjectNode event = LambdaEvents.identify(body);
        LambdaEvents.headers(event).put("idempotency-key", idempotencyKey);
        return event.toString();
    }

    /**
     * The committed {@code contact.user.created} notification about this user, under notification id {@code id},
     * created at {@code createdAt} (on the functions' clock: their replay window measures it) and signed with the
     * local client secret.
     */
    public static String notificationEvent(String id, String userId, String externalId, String email,
            Instant createdAt) {
        ObjectNode body = LambdaEvents.body(LambdaEvents.NOTIFICATION);
        body.put("id", id).put("topic", IntercomNotification.TOPIC_USER_CREATED);
        ObjectNode item = (ObjectNode) body.at("/data/item");
        item.put("id", userId).put("role", "user").put("external_id", externalId).put("email", email);
        item.putObject("custom_attributes");
        return LambdaEvents.notification(body, createdAt).toString();
    }

    /** The delivery-ledger key of an identify delivery id. */
    public static String ledgerKey(String deliveryId) {
        return IdentifyEndpoint.LEDGER_PREFIX + deliveryId;
    }

    /** Every case of {@link IdentifyMergeBadInputTest}, on both routes. */
    public static List<BadInput> badInputs(Clock clock) {
        return IdentifyMergeBadInputTest.badInput(clock).map(c -> new BadInput(
                c.event().get().path("rawPath").asText(), c.name(), () -> c.event().get().toString(), c.status(),
                c.code(), c.field())).toList();
    }
}
