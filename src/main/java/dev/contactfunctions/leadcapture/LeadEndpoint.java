package dev.contactfunctions.leadcapture;

import jakarta.enterprise.context.ApplicationScoped;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.identifiers.Pseudonyms;
import dev.contactfunctions.webhook.RequestBodies;
import dev.contactfunctions.webhook.RequiredSettings;
import dev.contactfunctions.webhook.WebhookRequest;
import dev.contactfunctions.webhook.WebhookSecrets;

/**
 * {@code POST /webhooks/leads}: verifies the {@code X-Signature} over the raw body, validates the lead (JSON or a
 * form) and hands it to {@link LeadCaptureDeliveries} under the delivery's {@code Idempotency-Key}.
 */
@ApplicationScoped
class LeadEndpoint {

    private final LeadCaptureDeliveries deliveries;
    private final WebhookSecrets secrets;
    private final RequiredSettings settings;
    private final Pseudonyms pseudonyms;

    LeadEndpoint(LeadCaptureDeliveries deliveries, WebhookSecrets secrets, RequiredSettings settings,
            Pseudonyms pseudonyms) {
        this.deliveries = deliveries;
        this.secrets = secrets;
        this.settings = settings;
        this.pseudonyms = pseudonyms;
    }

    APIGatewayV2HTTPResponse handle(WebhookRequest request, LeadCaptureLogLine log) {
        request.requireBodyWithinLimit();
        secrets.leadSignatureVerifier().verify(request);
        settings.check();
        ObjectNode body = RequestBodies.parse(request, true);
        LeadSubmission lead = LeadSubmission.from(body, !"application/json".equals(request.mediaType().orElse("")));
        log.emailFingerprint(pseudonyms.emailFingerprint(lead.email()));
        String deliveryId = request.deliveryId();
        log.deliveryId(deliveryId);
        return LeadAnswers.delivered(deliveries.accept(lead, deliveryId), log);
    }
}
