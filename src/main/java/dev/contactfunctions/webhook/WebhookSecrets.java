package dev.contactfunctions.webhook;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.contactfunctions.support.NotConfiguredException;
import dev.contactfunctions.support.Secrets;

/**
 * The secrets that authenticate webhooks: our signing secret(s) ({@code WEBHOOK_SIGNING_SECRET}, comma-separated
 * for rotation, or {@code WEBHOOK_SIGNING_SECRET_ARN}) and Intercom's app client secret
 * ({@code INTERCOM_CLIENT_SECRET} or {@code INTERCOM_CLIENT_SECRET_ARN}). A secret is read on the first request and
 * again on the first request after {@link Secrets}' time-to-live, so that a rotated secret is used without a deploy;
 * the verifiers are rebuilt only when the secret's text changes. The replay window of our signatures is
 * {@code webhook.signature-tolerance} ({@code WEBHOOK_SIGNATURE_TOLERANCE}, default 5m).
 */
@ApplicationScoped
public class WebhookSecrets {

    private final Optional<String> signingSecret;
    private final Optional<String> signingSecretArn;
    private final Optional<String> clientSecret;
    private final Optional<String> clientSecretArn;
    private final Duration signatureTolerance;
    private final Secrets secrets;
    private final Clock clock;
    private volatile Verifier<SignatureVerifier> signatureVerifier;
    private volatile Verifier<HubSignatureVerifier> hubVerifier;

    /** A verifier and the setting's text it was built from. */
    private record Verifier<V>(String secret, V verifier) {
    }

    WebhookSecrets(@ConfigProperty(name = "webhook.signing-secret") Optional<String> signingSecret,
            @ConfigProperty(name = "webhook.signing-secret-arn") Optional<String> signingSecretArn,
            @ConfigProperty(name = "webhook.intercom-client-secret") Optional<String> clientSecret,
            @ConfigProperty(name = "webhook.intercom-client-secret-arn") Optional<String> clientSecretArn,
            @ConfigProperty(name = "webhook.signature-tolerance", defaultValue = "5m") Duration signatureTolerance,
            Secrets secrets, Clock clock) {
        this.signingSecret = signingSecret;
        this.signingSecretArn = signingSecretArn;
        this.clientSecret = clientSecret;
        this.clientSecretArn = clientSecretArn;
        this.signatureTolerance = signatureTolerance;
        this.secrets = secrets;
        this.clock = clock;
    }

    /** @throws NotConfiguredException when no signing secret is configured (or the configured one is empty) */
    public SignatureVerifier signatureVerifier() {
        String value = signingSecretArn.filter(arn -> !arn.isBlank()).map(secrets::read).or(() -> signingSecret)
                .orElse("");
        Verifier<SignatureVerifier> current = signatureVerifier;
        if (current == null || !current.secret().equals(value)) {
            List<String> all = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            if (all.isEmpty()) {
                throw new NotConfiguredException("WEBHOOK_SIGNING_SECRET_ARN (or WEBHOOK_SIGNING_SECRET)",
                        "the webhook signing secret");
            }
            current = new Verifier<>(value, new SignatureVerifier(all, signatureTolerance, clock));
            signatureVerifier = current;
        }
        return current.verifier();
    }

    /** @throws NotConfiguredException when the Intercom app's client secret is not configured (or empty) */
    public HubSignatureVerifier hubSignatureVerifier() {
        String value = clientSecretArn.filter(arn -> !arn.isBlank()).map(secrets::read).or(() -> clientSecret)
                .filter(s -> !s.isBlank()).orElseThrow(() -> new NotConfiguredException(
                        "INTERCOM_CLIENT_SECRET_ARN (or INTERCOM_CLIENT_SECRET)",
                        "the Intercom app's client secret, which signs notifications"));
        Verifier<HubSignatureVerifier> current = hubVerifier;
        if (current == null || !current.secret().equals(value)) {
            current = new Verifier<>(value, new HubSignatureVerifier(value));
            hubVerifier = current;
        }
        return current.verifier();
    }
}
