package dev.contactfunctions.ledger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.DefaultBean;

/**
 * Identity and delivery records of one warm instance, with a TTL. Enough for the local run and for one instance;
 * across instances the DynamoDB ledger takes over.
 */
@ApplicationScoped
@DefaultBean
public class InMemoryLedger implements IdentityLedger, DeliveryLedger {

    static final Duration TTL = Duration.ofHours(24);

    private final Map<String, Entry> identities = new ConcurrentHashMap<>();
    private final Map<String, Entry> deliveries = new ConcurrentHashMap<>();
    private final Clock clock;

    InMemoryLedger(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Optional<String> contactFor(String identity) {
        return live(identities, identity);
    }

    @Override
    public void remember(String identity, String contactId) {
        identities.put(identity, new Entry(contactId, clock.instant().plus(TTL)));
    }

    @Override
    public void forget(String identity) {
        identities.remove(identity);
    }

    @Override
    public Optional<String> outcomeOf(String deliveryId) {
        return live(deliveries, deliveryId);
    }

    @Override
    public void recordOutcome(String deliveryId, String outcomeJson) {
        deliveries.put(deliveryId, new Entry(outcomeJson, clock.instant().plus(TTL)));
    }

    private Optional<String> live(Map<String, Entry> map, String key) {
        Entry entry = map.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (clock.instant().isAfter(entry.expiresAt())) {
            map.remove(key, entry);
            return Optional.empty();
        }
        return Optional.of(entry.value());
    }

    private record Entry(String value, Instant expiresAt) {
    }
}
