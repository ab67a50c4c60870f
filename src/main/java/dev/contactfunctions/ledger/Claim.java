package dev.contactfunctions.ledger;

import java.util.Optional;

/**
 * The answer to {@link IdentityLedger#claim}: either this caller may look the person up and create the contact
 * ({@link Won}), or another delivery holds the identity ({@link Held}), with the contact it settled on if it has
 * already finished.
 */
public sealed interface Claim {

    /** The caller holds the identity: find or create the contact, then {@code remember} it (or {@code release}). */
    record Won() implements Claim {
    }

    /** Someone else holds the identity; {@code contactId} is empty while that holder has not finished. */
    record Held(Optional<String> contactId) implements Claim {

        public boolean pending() {
            return contactId.isEmpty();
        }
    }

    static Claim won() {
        return new Won();
    }

    static Claim heldWith(String contactId) {
        return new Held(Optional.of(contactId));
    }

    static Claim pending() {
        return new Held(Optional.empty());
    }
}
