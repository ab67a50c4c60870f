package dev.contactfunctions.ledger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

/**
 * Identity and delivery records of one warm instance, with the same conditional semantics as {@link DynamoDbLedger}.
 * Enough for the local run and for one instance; across instances the DynamoDB ledger takes over
 * ({@link LedgerProducer} chooses). Injectable as {@code InMemoryLedger} only; everything else injects the
 * produced {@link Ledger}.
 */
@ApplicationScoped
@Typed(InMemoryLedger.class)
public class InMemoryLedger implements Ledger {

    static final Duration TTL = Duration.ofHours(24);

    private final Map<String, Entry> identities = new ConcurrentHashMap<>();
    private final Map<String, Entry> deliveries = new ConcurrentHashMap<>();
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
    private final Clock clock;

    InMemoryLedger(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Optional<String> contactFor(String identity) {
        return live(identities, identity).filter(e -> e.state() == RecordState.DONE).map(Entry::value);
    }

    @Override
    public void remember(String identity, String contactId) {
        identities.put(identity, new Entry(RecordState.DONE, contactId, null, clock.instant().plus(TTL)));
    }

    @Override
    public void forget(String identity) {
        identities.remove(identity);
    }

    @Override
    public void forget(String identity, String contactId) {
        identities.computeIfPresent(identity, (key, entry) ->
                entry.state() == RecordState.DONE && contactId.equals(entry.value()) ? null : entry);
    }

    @Override
    public Claim claim(String identity, String owner, Duration hold) {
        Instant now = clock.instant();
        AtomicReference<Claim> answer = new AtomicReference<>();
        identities.compute(identity, (key, entry) -> {
            boolean free = entry == null || entry.expiredAt(now)
                    || (entry.state() == RecordState.PENDING && owner.equals(entry.owner()));
            if (free) {
                answer.set(Claim.won());
                return new Entry(RecordState.PENDING, null, owner, now.plus(hold));
            }
            answer.set(entry.state() == RecordState.DONE ? Claim.heldWith(entry.value()) : Claim.pending());
            return entry;
        });
        return answer.get();
    }

    @Override
    public void release(String identity, String owner) {
        identities.computeIfPresent(identity,
                (key, entry) -> entry.state() == RecordState.PENDING && owner.equals(entry.owner()) ? null : entry);
    }

    @Override
    public int countAttempt(String deliveryId) {
        return attempts.merge(deliveryId, 1, Integer::sum);
    }

    @Override
    public void uncountAttempt(String deliveryId) {
        attempts.computeIfPresent(deliveryId, (key, count) -> count > 1 ? count - 1 : null);
    }

    @Override
    public Optional<String> outcomeOf(String deliveryId) {
        return live(deliveries, deliveryId).filter(e -> e.state() != RecordState.PENDING).map(Entry::value);
    }

    @Override
    public void recordOutcome(String deliveryId, String outcomeJson) {
        deliveries.put(deliveryId, new Entry(RecordState.DONE, outcomeJson, null, clock.instant().plus(TTL)));
    }

    @Override
    public DeliveryStart startDelivery(String deliveryId, Duration hold) {
        return start(deliveryId, hold, false);
    }

    @Override
    public DeliveryStart resumeDelivery(String deliveryId, Duration hold) {
        return start(deliveryId, hold, true);
    }

    @Override
    public void deferDelivery(String deliveryId, String outcomeJson) {
        deliveries.put(deliveryId, new Entry(RecordState.QUEUED, outcomeJson, null, clock.instant().plus(TTL)));
    }

    @Override
    public void abandonDelivery(String deliveryId) {
        deliveries.computeIfPresent(deliveryId, (key, entry) -> entry.state() == RecordState.PENDING ? null : entry);
    }

    private DeliveryStart start(String deliveryId, Duration hold, boolean takeOverQueued) {
        Instant now = clock.instant();
        AtomicReference<DeliveryStart> answer = new AtomicReference<>();
        deliveries.compute(deliveryId, (key, entry) -> {
            boolean free = entry == null || entry.expiredAt(now)
                    || (takeOverQueued && entry.state() == RecordState.QUEUED);
            if (free) {
                answer.set(new DeliveryStart.Started());
                return new Entry(RecordState.PENDING, null, null, now.plus(hold));
            }
            answer.set(RecordState.answer(entry.state(), entry.value()));
            return entry;
        });
        return answer.get();
    }

    private Optional<Entry> live(Map<String, Entry> map, String key) {
        Entry entry = map.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (entry.expiredAt(clock.instant())) {
            map.remove(key, entry);
            return Optional.empty();
        }
        return Optional.of(entry);
    }

    private record Entry(RecordState state, String value, String owner, Instant expiresAt) {

        boolean expiredAt(Instant now) {
            return expiresAt.isBefore(now);
        }
    }
}
