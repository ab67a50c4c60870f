package dev.contactfunctions.ledger;

import java.util.Optional;

/**
 * A strongly consistent record of identity -> Intercom contact id, kept well past Intercom's search lag, so that
 * repeated or concurrent deliveries for the same person find the contact that search cannot show yet.
 * Identities are namespaced strings: {@code email:<normalized email>} or {@code external_id:<id>}.
 * The local run and single-instance tests use {@link InMemoryLedger}; deployed functions use DynamoDB.
 */
public interface IdentityLedger {

    Optional<String> contactFor(String identity);

    /** Records (or replaces) the contact of an identity. */
    void remember(String identity, String contactId);

    /** Drops an identity whose contact turned out to be gone (merged away or deleted). */
    void forget(String identity);

    static String email(String normalizedEmail) {
        return "email:" + normalizedEmail;
    }

    static String externalId(String externalId) {
        return "external_id:" + externalId;
    }
}
