package dev.contactfunctions.intercom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.JsonNode;

import dev.contactfunctions.invocation.JsonMapping;
import dev.contactfunctions.invocation.LambdaInitialization;
import dev.contactfunctions.invocation.NotConfiguredException;
import dev.contactfunctions.invocation.Secrets;
import io.quarkus.runtime.StartupEvent;

/**
 * The Intercom access token: the Secrets Manager secret named by {@code INTERCOM_TOKEN_SECRET_ARN} (read at start,
 * then again on the first call after {@link Secrets}' time-to-live, so that a rotated token is used without a
 * deploy), else {@code INTERCOM_ACCESS_TOKEN}.
 */
@ApplicationScoped
public class IntercomCredentials {

    /** The token and the secret's text it was taken from, so that the secret is parsed only when it changes. */
    private record Token(String secret, String value) {
    }

    private final IntercomConfig config;
    private final Secrets secrets;
    private final LambdaInitialization initialization;
    private volatile Token fromSecret;

    IntercomCredentials(IntercomConfig config, Secrets secrets, LambdaInitialization initialization) {
        this.config = config;
        this.secrets = secrets;
        this.initialization = initialization;
    }

    /**
     * With a secret configured, reads it when the instance starts (the Lambda init phase) rather than in the first
     * invocation; a missing or unreadable secret then fails the start, where it is easiest to see. Not before a
     * SnapStart snapshot: every restored copy would share that token (and it would be read with the credentials of
     * the deployment that published the version); the snapshot's restore hook reads it instead.
     */
    void readSecretAtStart(@Observes StartupEvent start) {
        if (!initialization.forSnapshot()) {
            readSecretNow();
        }
    }

    /** Reads the token now when it comes from a secret (a token given directly needs no reading). */
    public void readSecretNow() {
        if (config.tokenSecretArn().isPresent()) {
            accessToken();
        }
    }

    /** @throws NotConfiguredException when no token is configured */
    public String accessToken() {
        if (config.tokenSecretArn().isPresent()) {
            String secret = secrets.read(config.tokenSecretArn().get());
            Token current = fromSecret;
            if (current == null || !current.secret().equals(secret)) {
                current = new Token(secret, tokenFromSecret(secret));
                fromSecret = current;
            }
            return current.value();
        }
        return config.accessToken().filter(t -> !t.isBlank()).orElseThrow(() -> new NotConfiguredException(
                "INTERCOM_TOKEN_SECRET_ARN (or INTERCOM_ACCESS_TOKEN)", "the Intercom access token"));
    }

    /** A secret may hold the bare token or JSON such as {@code {"access_token": "..."}}. */
    static String tokenFromSecret(String secret) {
        String trimmed = secret.trim();
        if (trimmed.startsWith("{")) {
            try {
                JsonNode node = JsonMapping.mapper().readTree(trimmed);
                for (String key : new String[] { "access_token", "INTERCOM_ACCESS_TOKEN", "token" }) {
                    if (node.hasNonNull(key)) {
                        return node.get(key).asText();
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException("The Intercom token secret is JSON but could not be read");
            }
            throw new IllegalStateException("The Intercom token secret has no access_token key");
        }
        return trimmed;
    }
}
