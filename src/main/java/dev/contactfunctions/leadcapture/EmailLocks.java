package dev.contactfunctions.leadcapture;

import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Serializes deliveries of the same email inside one warm instance, so that two concurrent deliveries cannot both
 * miss the contact and both create it. Striped: unrelated emails rarely share a lock, and the lock set never grows.
 * Across instances the identity ledger (DynamoDB in AWS) takes over.
 */
@ApplicationScoped
public class EmailLocks {

    private static final int STRIPES = 64;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    public EmailLocks() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    ReentrantLock forEmail(String normalizedEmail) {
        return locks[Math.floorMod(normalizedEmail.hashCode(), STRIPES)];
    }
}
