package dev.contactfunctions.invocation;

/**
 * A setting the function cannot work without is missing (a secret, the Intercom token, the hashing key): a deployment
 * problem that no retry cures. The message names the setting, never a value. The webhooks answer it with 503
 * {@code not_configured}; the audit stops with it.
 */
public class NotConfiguredException extends IllegalStateException {

    private final String setting;

    /**
     * @param setting what to set, as the operator sees it (e.g. {@code WEBHOOK_SIGNING_SECRET_ARN or
     *                WEBHOOK_SIGNING_SECRET})
     * @param purpose what the setting is for, in a few words
     */
    public NotConfiguredException(String setting, String purpose) {
        super("Not configured: " + purpose + " is missing; set " + setting);
        this.setting = setting;
    }

    public String setting() {
        return setting;
    }
}
