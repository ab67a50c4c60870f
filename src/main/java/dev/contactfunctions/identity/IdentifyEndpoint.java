package dev.contactfunctions.identity;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import dev.contactfunctions.deferral.DeferredDelivery;
import dev.contactfunctions.deferral.DeferredDeliveryProcessor;
import dev.contactfunctions.deferral.WebhookDelivery;
import dev.contactfunctions.deferral.DeliveryAnswer;
import dev.contactfunctions.deferral.DeliveryLifecycle;
import dev.contactfunctions.deferral.Disposition;
import dev.contactfunctions.ledger.IdentityLedger;
import dev.contactfunctions.identifiers.Pseudonyms;
import dev.contactfunctions.webhook.RequestBodies;
import dev.contactfunctions.webhook.WebhookRequest;
import dev.contactfunctions.webhook.RequiredSettings;
import dev.contactfunctions.webhook.WebhookSecrets;

/**
 * {@code POST /webhooks/identify}: the customer's app, signed with {@code X-Signature} like lead capture. Each
 * request is a delivery ({@code Idempotency-Key}, or one per request) through the delivery ledger: a repeated one is
 * answered again without any call, a concurrent duplicate gets 409, and one Intercom cannot take within the budget
 * waits on the deferral queue (202). As the processor of route {@value #ROUTE} it finishes those from the queue.
 */
@ApplicationScoped
class IdentifyEndpoint implements DeferredDeliveryProcessor {

    static final String ROUTE = "identify";
    static final String LEDGER_PREFIX = "identify:";
    /** Retried later, a failure of these kinds can succeed: Intercom unreachable, a busy identity, a vanished user. */
    static final Predicate<RuntimeException> DEFERRABLE = DeliveryLifecycle.TRANSIENT
            .or(failure -> failure instanceof IdentityConflictException conflict && conflict.retryable());

    private final WebhookSecrets secrets;
    private final IdentifyMergeService service;
    private final DeliveryLifecycle lifecycle;
    private final Pseudonyms pseudonyms;
    private final RequiredSettings settings;

    IdentifyEndpoint(WebhookSecrets secrets, IdentifyMergeService service, DeliveryLifecycle lifecycle,
            Pseudonyms pseudonyms, RequiredSettings settings) {
        this.settings = settings;
        this.secrets = secrets;
        this.pseudonyms = pseudonyms;
        this.service = service;
        this.lifecycle = lifecycle;
    }

    APIGatewayV2HTTPResponse handle(WebhookRequest request, IdentifyMergeLogLine log) {
        request.requireBodyWithinLimit();
        secrets.identifySignatureVerifier().verify(request);
        settings.check();
        IdentifyRequest identify = IdentifyRequest.from(RequestBodies.parse(request, false));
        log.email(identify.email(), pseudonyms).put("lead_id", identify.leadId());
        String deliveryId = request.deliveryId();
        log.put("delivery_id", deliveryId);
        WebhookDelivery delivery = delivery(identify, deliveryId);
        DeliveryAnswer answer = lifecycle.accept(delivery, () -> identified(identify, delivery.ledgerKey(), log),
                DEFERRABLE);
        if (answer instanceof DeliveryAnswer.Done done) {
            if (done.replayed()) {
                log.put("outcome", "replayed").put("user_id", done.body().path("user_id").asText(null));
            }
        } else if (answer instanceof DeliveryAnswer.Queued queued) {
            log.put("outcome", "queued").put("reason", queued.reason()).put("replayed", queued.again());
        } else {
            log.put("outcome", "in_progress");
        }
        return answer.toHttpResponse(WebhookRequest.IDEMPOTENCY_KEY);
    }

    @Override
    public String route() {
        return ROUTE;
    }

    @Override
    public Disposition process(DeferredDelivery deferred) {
        IdentifyMergeLogLine log = new IdentifyMergeLogLine("queue" + IdentifyMergeHandler.IDENTIFY_PATH);
        return lifecycle.resumeRequest(deferred, LEDGER_PREFIX, IdentifyRequest::from,
                identify -> fingerprint(identify, pseudonyms),
                identify -> identified(identify, deferred.deliveryId(), log), DEFERRABLE);
    }

    private Map<String, Object> identified(IdentifyRequest identify, String owner, IdentifyMergeLogLine log) {
        IdentifyResult result = service.identify(identify, owner);
        log.put("user_created", result.userCreated()).merge(result.merge());
        return Answers.identified(result);
    }

    private WebhookDelivery delivery(IdentifyRequest identify, String deliveryId) {
        return new WebhookDelivery(ROUTE, LEDGER_PREFIX + deliveryId, deliveryId,
                IdentityLedger.externalId(pseudonyms, identify.externalId()), identify.toBody(),
                fingerprint(identify, pseudonyms));
    }

    /** A digest of the validated request: the same delivery always gives the same value. */
    static String fingerprint(IdentifyRequest identify, Pseudonyms pseudonyms) {
        return pseudonyms.request(identify.toBody().toString().getBytes(StandardCharsets.UTF_8));
    }
}
