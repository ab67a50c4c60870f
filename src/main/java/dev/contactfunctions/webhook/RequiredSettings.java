package dev.contactfunctions.webhook;

import jakarta.enterprise.context.ApplicationScoped;

import dev.contactfunctions.intercom.IntercomCredentials;
import dev.contactfunctions.invocation.NotConfiguredException;
import dev.contactfunctions.identifiers.Pseudonyms;

/**
 * What every webhook delivery needs besides its signature's secret: the Intercom token and the hashing key. Checked
 * once the signature is verified and before anything is written, so that a stack deployed without one answers 503
 * {@code not_configured} and leaves no trace (a read per instance, then cached).
 */
@ApplicationScoped
public class RequiredSettings {

    private final IntercomCredentials credentials;
    private final Pseudonyms pseudonyms;

    public RequiredSettings(IntercomCredentials credentials, Pseudonyms pseudonyms) {
        this.credentials = credentials;
        this.pseudonyms = pseudonyms;
    }

    /** @throws NotConfiguredException naming the first missing setting */
    public void check() {
        credentials.accessToken();
        pseudonyms.requireKey();
    }
}
