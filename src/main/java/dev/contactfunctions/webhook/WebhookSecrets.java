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
 * The secrets that authenticate webhooks, one per sender, so that a key handed to one sender opens no other route:
 * <ul>
 * <li>the lead route's signing secret(s) ({@code WEBHOOK_SIGNING_SECRET}, comma-separated for rotation, or
 * {@code WEBHOOK_SIGNING_SECRET_ARN}), held by form relays and marketing tools;</li>
 * <li>the identify route's own ({@code IDENTIFY_SIGNING_SECRET} or {@code IDENTIFY_SIGNING_SECRET_ARN}), held by
 * the application alone: identify creates users and merges leads into them;</li>
 * <li>Intercom's app client secret ({@code INTERCOM_CLIENT_SECRET} or {@code INTERCOM_CLIENT_SECRET_ARN}).</li>
 * </ul>
 * A secret is read on the first request and again on the first request after {@link Secrets}' time-to-live, so that a
 * rotated secret is used without a deploy; the verifiers are rebuilt only when the secret's text changes. The replay
 * window of our signatures is {@code webhook.signature-tolerance} ({@code WEBHOOK_SIGNATURE_TOLERANCE}, default 5m).
 */
@ApplicationScoped
public class WebhookSecrets {

    private final SigningKey leads;
    private final SigningKey identify;
    private final Optional<String> clientSecret;
    private final Optional<String> clientSecretArn;
    private final Secrets secrets;
    private volatile Verifier<HubSignatureVerifier> hubVerifier;

    /** A verifier and the setting's text it was built from. */
    private record Verifier<V>(String secret, V verifier) {
    }

    WebhookSecrets(@ConfigProperty(name = "webhook.signing-secret") Optional<String> signingSecret,
            @ConfigProperty(name = "webhook.signing-secret-arn") Optional<String> signingSecretArn,
            @ConfigProperty(name = "webhook.identify-signing-secret") Optional<String> identifySecret,
            @ConfigProperty(name = "webhook.identify-signing-secret-arn") Optional<String> identifySecretArn,
            @ConfigProperty(name = "webhook.intercom-client-secret") Optional<String> clientSecret,
            @ConfigProperty(name = "webhook.intercom-client-secret-arn") Optional<String> clientSecretArn,
            @ConfigProperty(name = "webhook.signature-tolerance", defaultValue = "5m") Duration signatureTolerance,
            Secrets secrets, Clock clock) {
        this.leads = new SigningKey(signingSecret, signingSecretArn, "WEBHOOK_SIGNING_SECRET",
                "the signing secret of /webhooks/leads", signatureTolerance, clock);
        this.identify = new SigningKey(identifySecret, identifySecretArn, "IDENTIFY_SIGNING_SECRET",
                "the signing secret of /webhooks/identify", signatureTolerance, clock);
        this.clientSecret = clientSecret;
        this.clientSecretArn = clientSecretArn;
        this.secrets = secrets;
    }

    /** {@code /webhooks/leads}. @throws NotConfiguredException when its secret is not configured (or empty) */
    public SignatureVerifier leadSignatureVerifier() {
        return leads.verifier(secrets);
    }

    /** {@code /webhooks/identify}. @throws NotConfiguredException when its secret is not configured (or empty) */
    public SignatureVerifier identifySignatureVerifier() {
        return identify.verifier(secrets);
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

    /** One route's {@code X-Signature} key(s) ({@link RotatingSecret}) and the verifier built from them. */
    private static final class SigningKey {

        private final RotatingSecret secret;
        private final Duration tolerance;
        private final Clock clock;
        private volatile Verifier<SignatureVerifier> cached;

        SigningKey(Optional<String> value, Optional<String> arn, String variable, String purpose, Duration tolerance,
                Clock clock) {
            this.secret = new RotatingSecret(value, arn, variable, purpose);
            this.tolerance = tolerance;
            this.clock = clock;
        }

        SignatureVerifier verifier(Secrets secrets) {
            List<String> keys = secret.keys(secrets);
            String text = String.join(",", keys);
            Verifier<SignatureVerifier> current = cached;
            if (current == null || !current.secret().equals(text)) {
                current = new Verifier<>(text, new SignatureVerifier(keys, tolerance, clock));
                cached = current;
            }
            return current.verifier();
        }
    }
}
