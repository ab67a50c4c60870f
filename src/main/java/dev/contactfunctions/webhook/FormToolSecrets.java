package dev.contactfunctions.webhook;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.contactfunctions.invocation.NotConfiguredException;
import dev.contactfunctions.invocation.Secrets;

/**
 * The form tools' keys, one per sender and none shared with another route (the lead route's and the identify route's
 * keys open no form-tool route, and the other way round): {@code TYPEFORM_SIGNING_SECRET},
 * {@code TALLY_SIGNING_SECRET},
 * {@code WEBFLOW_SIGNING_SECRET} (the Webflow OAuth application's client secret) and {@code WEBFLOW_URL_TOKEN} (the
 * token in the URL of Webflow's unsigned site webhooks). Each is a plain setting or a secret's ARN ({@code ..._ARN}),
 * comma-separated during rotation, read again after {@link Secrets}' time-to-live like the other webhook secrets.
 * A route whose key is not set answers 503 {@code not_configured} naming it.
 */
@ApplicationScoped
public class FormToolSecrets {

    private final RotatingSecret typeform;
    private final RotatingSecret tally;
    private final RotatingSecret webflow;
    private final RotatingSecret webflowUrlToken;
    private final Duration tolerance;
    private final Secrets secrets;
    private final Clock clock;

    FormToolSecrets(@ConfigProperty(name = "webhook.typeform-signing-secret") Optional<String> typeform,
            @ConfigProperty(name = "webhook.typeform-signing-secret-arn") Optional<String> typeformArn,
            @ConfigProperty(name = "webhook.tally-signing-secret") Optional<String> tally,
            @ConfigProperty(name = "webhook.tally-signing-secret-arn") Optional<String> tallyArn,
            @ConfigProperty(name = "webhook.webflow-signing-secret") Optional<String> webflow,
            @ConfigProperty(name = "webhook.webflow-signing-secret-arn") Optional<String> webflowArn,
            @ConfigProperty(name = "webhook.webflow-url-token") Optional<String> webflowUrlToken,
            @ConfigProperty(name = "webhook.webflow-url-token-arn") Optional<String> webflowUrlTokenArn,
            @ConfigProperty(name = "webhook.signature-tolerance", defaultValue = "5m") Duration tolerance,
            Secrets secrets, Clock clock) {
        this.typeform = new RotatingSecret(typeform, typeformArn, "TYPEFORM_SIGNING_SECRET",
                "the signing secret of /webhooks/leads/typeform");
        this.tally = new RotatingSecret(tally, tallyArn, "TALLY_SIGNING_SECRET",
                "the signing secret of /webhooks/leads/tally");
        this.webflow = new RotatingSecret(webflow, webflowArn, "WEBFLOW_SIGNING_SECRET",
                "the Webflow application's client secret, which signs /webhooks/leads/webflow");
        this.webflowUrlToken = new RotatingSecret(webflowUrlToken, webflowUrlTokenArn, "WEBFLOW_URL_TOKEN",
                "the URL token of /webhooks/leads/webflow");
        this.tolerance = tolerance;
        this.secrets = secrets;
        this.clock = clock;
    }

    public void verifyTypeform(WebhookRequest request) {
        FormToolSignatures.verifyTypeform(request, typeform.keys(secrets));
    }

    public void verifyTally(WebhookRequest request) {
        FormToolSignatures.verifyTally(request, tally.keys(secrets));
    }

    /**
     * A signed delivery (an OAuth application's webhook) is verified with the client secret; an unsigned one (a site
     * webhook) only by the URL's token. Neither key set: 503 naming both.
     */
    public void verifyWebflow(WebhookRequest request) {
        if (request.header(FormToolSignatures.WEBFLOW_SIGNATURE_HEADER).isPresent()) {
            FormToolSignatures.verifyWebflow(request, webflow.keys(secrets), tolerance, clock);
            return;
        }
        Optional<List<String>> tokens = webflowUrlToken.configured(secrets);
        if (tokens.isPresent()) {
            FormToolSignatures.verifyUrlToken(request, tokens.get());
        } else if (webflow.configured(secrets).isPresent()) {
            throw new WebhookException(401, "missing_signature",
                    "The " + FormToolSignatures.WEBFLOW_SIGNATURE_HEADER + " header is missing");
        } else {
            throw new NotConfiguredException(webflow.setting() + " or " + webflowUrlToken.setting(),
                    "the key of /webhooks/leads/webflow");
        }
    }
}
