package dev.contactfunctions.identity;

import jakarta.enterprise.context.ApplicationScoped;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import dev.contactfunctions.webhook.ApiResponses;
import dev.contactfunctions.webhook.RequestBodies;
import dev.contactfunctions.webhook.WebhookRequest;
import dev.contactfunctions.webhook.WebhookSecrets;

/** {@code POST /webhooks/identify}: the customer's app, signed with {@code X-Signature} like lead capture. */
@ApplicationScoped
class IdentifyEndpoint {

    private final WebhookSecrets secrets;
    private final IdentifyMergeService service;

    IdentifyEndpoint(WebhookSecrets secrets, IdentifyMergeService service) {
        this.secrets = secrets;
        this.service = service;
    }

    APIGatewayV2HTTPResponse handle(WebhookRequest request, DeliveryLog log) {
        request.requireBodyWithinLimit();
        secrets.signatureVerifier().verify(request);
        IdentifyRequest identify = IdentifyRequest.from(RequestBodies.parse(request, false));
        log.email(identify.email()).put("lead_id", identify.leadId());
        IdentifyResult result = service.identify(identify);
        log.put("user_created", result.userCreated()).merge(result.merge());
        return ApiResponses.json(200, Answers.identified(result));
    }
}
