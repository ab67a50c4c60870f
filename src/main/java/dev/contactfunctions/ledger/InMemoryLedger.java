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
        identities.put(identity, Entry.of(RecordState.DONE, contactId, clock.instant().plus(TTL)));
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
            if (entry == null || entry.expiredAt(now)) {
                answer.set(Claim.won());
                return new Entry(RecordState.PENDING, null, owner, now.plus(hold), null, now.plus(hold));
            }
            if (entry.state() != RecordState.DONE && entry.claimableBy(owner, now)) {
                answer.set(entry.createSince() == null ? Claim.won() : Claim.wonUnsettled(entry.createSince()));
                Instant heldUntil = now.plus(hold);
                return new Entry(RecordState.PENDING, null, owner, heldUntil, entry.createSince(),
                        entry.createSince() == null ? heldUntil : entry.expiresAt());
            }
            answer.set(entry.state() == RecordState.DONE ? Claim.heldWith(entry.value()) : Claim.pending());
            return entry;
        });
        return answer.get();
    }

    @Override
    public void release(String identity, String owner) {
        identities.computeIfPresent(identity, (key, entry) -> {
            if (!entry.heldBy(owner)) {
                return entry;
            }
            return entry.createSince() == null ? null
                    : new Entry(RecordState.UNSETTLED, null, null, null, entry.createSince(), entry.expiresAt());
        });
    }

    @Override
    public boolean intendCreate(String identity, String owner, Instant since, Duration hold) {
        Instant now = clock.instant();
        AtomicReference<Boolean> answer = new AtomicReference<>(false);
        identities.computeIfPresent(identity, (key, entry) -> {
            if (!entry.heldBy(owner) || entry.heldUntil().isBefore(now)) {
                return entry;
            }
            answer.set(true);
            return new Entry(RecordState.PENDING, null, owner, now.plus(hold), since, since.plus(TTL));
        });
        return answer.get();
    }

    @Override
    public void abandonCreate(String identity, String owner) {
        identities.computeIfPresent(identity, (key, entry) -> entry.heldBy(owner) ? null : entry);
    }

    @Override
    public Optional<String> outcomeOf(String deliveryId) {
        return live(deliveries, deliveryId).filter(e -> e.state() != RecordState.PENDING).map(Entry::value);
    }

    @Override
    public void recordOutcome(String deliveryId, String outcomeJson) {
        deliveries.put(deliveryId, Entry.of(RecordState.DONE, outcomeJson, clock.instant().plus(TTL)));
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
        deliveries.put(deliveryId, Entry.of(RecordState.QUEUED, outcomeJson, clock.instant().plus(TTL)));
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
                return Entry.of(RecordState.PENDING, null, now.plus(hold));
            }
            answer.set(RecordState.answer(entry.state(), entry.value(), entry.expiresAt()));
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

    /**
     * One record. {@code expiresAt} ends its life; a pending identity claim holds until {@code heldUntil} (the same
     * instant, unless a create intent ({@code createSince}) keeps the record alive past the hold).
     */
    private record Entry(RecordState state, String value, String owner, Instant heldUntil, Instant createSince,
            Instant expiresAt) {

        static Entry of(RecordState state, String value, Instant expiresAt) {
            return new Entry(state, value, null, null, null, expiresAt);
        }

        boolean expiredAt(Instant now) {
            return expiresAt.isBefore(now);
        }

        boolean heldBy(String owner) {
            return state == RecordState.PENDING && owner.equals(this.owner);
        }

        /** Unsettled, a pending claim whose holder's hold ran out, or one of the same owner (a retry). */
        boolean claimableBy(String owner, Instant now) {
            return state == RecordState.UNSETTLED || heldBy(owner) || heldUntil != null && heldUntil.isBefore(now);
        }
    }
}
