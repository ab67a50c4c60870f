package dev.contactfunctions.ledger;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to {@link IdentityLedger#claim}: either this caller may look the person up and create the contact
 * ({@link Won}), or another delivery holds the identity ({@link Held}), with the contact it settled on if it has
 * already finished.
 */
public sealed interface Claim {

    /**
     * The caller holds the identity: find or create the contact, then {@code remember} it (or {@code release}).
     *
     * @param unsettledCreateSince when an earlier create for this identity was sent whose outcome is still unknown
     *                             (it answered a timeout or a 5xx, or its sender died): that contact may exist
     *                             although search cannot show it yet. Empty when there is none.
     */
    record Won(Optional<Instant> unsettledCreateSince) implements Claim {
        public Won {
            Objects.requireNonNull(unsettledCreateSince);
        }
    }

    /** Someone else holds the identity; {@code contactId} is empty while that holder has not finished. */
    record Held(Optional<String> contactId) implements Claim {

        public boolean pending() {
            return contactId.isEmpty();
        }
    }

    static Claim won() {
        return new Won(Optional.empty());
    }

    static Claim wonUnsettled(Instant createSince) {
        return new Won(Optional.of(createSince));
    }

    static Claim heldWith(String contactId) {
        return new Held(Optional.of(contactId));
    }

    static Claim pending() {
        return new Held(Optional.empty());
    }
}
