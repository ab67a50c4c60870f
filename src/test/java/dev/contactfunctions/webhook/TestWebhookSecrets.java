package dev.contactfunctions.webhook;

import java.time.Clock;
import java.util.Optional;

import dev.contactfunctions.invocation.Secrets;

/** Webhook secrets built by hand, for function instances of tests outside this package. */
public final class TestWebhookSecrets {

    private TestWebhookSecrets() {
    }

    /** The secrets as configured in plain settings, one per route; null: that one is not configured. */
    public static WebhookSecrets of(String leadSecret, String identifySecret, String intercomClientSecret,
            Clock clock) {
        return new WebhookSecrets(Optional.ofNullable(leadSecret), Optional.empty(),
                Optional.ofNullable(identifySecret), Optional.empty(), Optional.ofNullable(intercomClientSecret),
                Optional.empty(), SignatureVerifier.DEFAULT_TOLERANCE, new Secrets(), clock);
    }

    /** The form tools' keys as plain settings; null: that one is not configured. */
    public static FormToolSecrets formTools(String typeform, String tally, String webflow, String webflowUrlToken,
            Clock clock) {
        return new FormToolSecrets(Optional.ofNullable(typeform), Optional.empty(), Optional.ofNullable(tally),
                Optional.empty(), Optional.ofNullable(webflow), Optional.empty(), Optional.ofNullable(webflowUrlToken),
                Optional.empty(), SignatureVerifier.DEFAULT_TOLERANCE, new Secrets(), clock);
    }
}
