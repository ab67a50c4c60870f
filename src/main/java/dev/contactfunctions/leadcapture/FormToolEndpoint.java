package dev.contactfunctions.leadcapture;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import dev.contactfunctions.identifiers.Pseudonyms;
import dev.contactfunctions.webhook.ApiResponses;
import dev.contactfunctions.webhook.FormToolSecrets;
import dev.contactfunctions.webhook.RequestBodies;
import dev.contactfunctions.webhook.RequiredSettings;
import dev.contactfunctions.webhook.WebhookRequest;

/**
 * {@code POST /webhooks/leads/typeform}, {@code /tally} and {@code /webflow}: a form tool's own webhook, as the tool
 * sends it. Verifies the vendor's signature with the source's own key, answers 200 {@code ignored} to any event but a
 * submission, maps the submission to a lead ({@link FormFieldMapping}) and hands it to {@link LeadCaptureDeliveries}
 * under the response's own id, so that the vendor's retries are answered from the ledger. From there on it is the
 * path of {@code /webhooks/leads}: form policy, identity claim, deferral, answers and log line.
 */
@ApplicationScoped
class FormToolEndpoint {

    private final LeadCaptureDeliveries deliveries;
    private final FormToolSecrets secrets;
    private final FormFieldMapping mapping;
    private final RequiredSettings settings;
    private final Pseudonyms pseudonyms;

    FormToolEndpoint(LeadCaptureDeliveries deliveries, FormToolSecrets secrets, FormFieldMapping mapping,
            RequiredSettings settings, Pseudonyms pseudonyms) {
        this.deliveries = deliveries;
        this.secrets = secrets;
        this.mapping = mapping;
        this.settings = settings;
        this.pseudonyms = pseudonyms;
    }

    APIGatewayV2HTTPResponse handle(FormSource source, WebhookRequest request, LeadCaptureLogLine log) {
        log.source(source.wire());
        request.requireBodyWithinLimit();
        source.verify(secrets, request);
        settings.check();
        FormToolPayload payload = FormToolPayload.read(source, RequestBodies.parse(request, false));
        if (!source.handledEvent().equals(payload.eventType())) {
            log.ignored("event_type_not_handled");
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "ignored");
            body.put("reason", "event_type_not_handled");
            body.put("event_type", payload.eventType());
            return ApiResponses.json(200, body);
        }
        String deliveryId = payload.deliveryId(source);
        log.deliveryId(deliveryId);
        LeadSubmission lead = mapping.lead(source, payload);
        log.emailFingerprint(pseudonyms.emailFingerprint(lead.email()));
        return LeadAnswers.delivered(deliveries.accept(lead, deliveryId), log);
    }
}
