package dev.contactfunctions.ledger;

import java.time.Instant;
import java.util.Optional;

/**
 * Another delivery still holds the person's identity claim after {@link IdentityClaims} waited for it: this delivery
 * is deferred (the queue keeps one person's deliveries in order) rather than risk creating a second contact.
 */
public class IdentityBusyException extends RuntimeException {

    private final transient Instant notBefore;

    public IdentityBusyException(String identity) {
        this(identity, null);
    }

    /**
     * @param notBefore when a later attempt can succeed at the earliest (for example once an unsettled create can be
     *                  trusted to show in search), or null when that is not known
     */
    public IdentityBusyException(String identity, Instant notBefore) {
        // identities are pseudonyms (IdentityLedger): safe in messages and logs
        super("Another delivery holds the identity " + identity + "; deferred");
        this.notBefore = notBefore;
    }

    /**
     * When a later attempt can succeed at the earliest; empty when it may succeed at once. A delivery that meets a busy
     * identity made no real attempt at Intercom's work: waiting for the identity never counts against its attempts.
     */
    public Optional<Instant> notBefore() {
        return Optional.ofNullable(notBefore);
    }
}
