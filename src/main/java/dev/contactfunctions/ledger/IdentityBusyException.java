package dev.contactfunctions.ledger;

import dev.contactfunctions.support.Emails;

/**
 * Another delivery still holds the person's identity claim after {@link IdentityClaims} waited for it: this delivery
 * is deferred (the queue keeps one person's deliveries in order) rather than risk creating a second contact.
 */
public class IdentityBusyException extends RuntimeException {

    public IdentityBusyException(String identity) {
        // the identity holds an email address: only its fingerprint goes into messages and logs
        super("Another delivery holds the identity " + Emails.fingerprint(identity) + "; deferred");
    }
}
