package dev.contactfunctions.ledger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

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
    private final Map<String, Attempts> attempts = new ConcurrentHashMap<>();
    private final Clock clock;

    InMemoryLedger(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Optional<String> contactFor(String identity) {
        return live(identities, identity).filter(e -> e.state() == RecordState.DONE).map(Entry::value);
    }

    @Override
    public Claim claim(String identity, String owner, Duration hold) {
        Instant now = clock.instant();
        AtomicReference<Claim> answer = new AtomicReference<>();
        identities.compute(identity, (key, entry) -> {
            Instant heldUntil = now.plus(hold);
            if (entry == null || entry.expiredAt(now)) {
                answer.set(Claim.won());
                return new Entry(RecordState.PENDING, null, owner, heldUntil, null, null, heldUntil);
            }
            if (!entry.claimableBy(owner, now)) {
                answer.set(Claim.held());
                return entry;
            }
            if (entry.state() == RecordState.DONE) {
                answer.set(new Claim.Won(Optional.empty(), Optional.of(entry.value()),
                        Optional.ofNullable(entry.mergingLead())));
                return new Entry(RecordState.DONE, entry.value(), owner, heldUntil, null, entry.mergingLead(),
                        entry.expiresAt());
            }
            answer.set(entry.createSince() == null ? Claim.won() : Claim.wonUnsettled(entry.createSince()));
            return new Entry(RecordState.PENDING, null, owner, heldUntil, entry.createSince(), null,
                    entry.createSince() == null ? heldUntil : entry.expiresAt());
        });
        return answer.get();
    }

    @Override
    public boolean remember(String identity, String owner, String contactId) {
        return rewriteWhile(identity, entry -> entry.heldBy(owner), entry -> new Entry(RecordState.DONE, contactId,
                owner, entry.heldUntil(), null, null, clock.instant().plus(TTL)));
    }

    @Override
    public void release(String identity, String owner) {
        identities.computeIfPresent(identity, (key, entry) -> {
            if (!entry.heldBy(owner)) {
                return entry;
            }
            if (entry.state() == RecordState.DONE) {
                return new Entry(RecordState.DONE, entry.value(), null, null, null, entry.mergingLead(),
                        entry.expiresAt());
            }
            return entry.createSince() == null ? null
                    : new Entry(RecordState.UNSETTLED, null, null, null, entry.createSince(), null, entry.expiresAt());
        });
    }

    @Override
    public void forget(String identity, String owner) {
        identities.computeIfPresent(identity, (key, entry) -> entry.heldBy(owner) ? null : entry);
    }

    @Override
    public boolean intendCreate(String identity, String owner, Instant since, Duration hold) {
        Instant now = clock.instant();
        return rewriteWhile(identity, entry -> entry.liveHoldOf(owner, now),
                entry -> new Entry(RecordState.PENDING, null, owner, now.plus(hold), since, null, since.plus(TTL)));
    }

    @Override
    public boolean intendMerge(String identity, String owner, String leadId, String userId, Duration hold) {
        Instant now = clock.instant();
        return rewriteWhile(identity, entry -> entry.liveHoldOf(owner, now),
                entry -> new Entry(RecordState.DONE, userId, owner, now.plus(hold), null, leadId, now.plus(TTL)));
    }

    /** Replaces an identity's record by {@code next} of it while {@code holds} it; answers whether it did. */
    private boolean rewriteWhile(String identity, Predicate<Entry> holds, UnaryOperator<Entry> next) {
        AtomicReference<Boolean> answer = new AtomicReference<>(false);
        identities.computeIfPresent(identity, (key, entry) -> {
            if (!holds.test(entry)) {
                return entry;
            }
            answer.set(true);
            return next.apply(entry);
        });
        return answer.get();
    }

    @Override
    public int countAttempt(String deliveryId, String receiveId) {
        return attempts.merge(deliveryId, new Attempts(1, receiveId), (counted, next) ->
                receiveId.equals(counted.lastReceive()) ? counted : new Attempts(counted.count() + 1, receiveId))
                .count();
    }

    @Override
    public void uncountAttempt(String deliveryId, String receiveId) {
        attempts.computeIfPresent(deliveryId, (key, counted) -> receiveId.equals(counted.lastReceive())
                ? new Attempts(counted.count() - 1, DeliveryLedger.uncounted(receiveId)) : counted);
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

    /** The real attempts counted for a delivery, and the receive counted last. */
    private record Attempts(int count, String lastReceive) {
    }

    /**
     * One record. {@code expiresAt} ends its life; a claim ({@code owner}) holds until {@code heldUntil} (for a pending
     * claim the same instant, unless a create intent ({@code createSince}) keeps the record alive past the hold; a
     * remembered contact lives for the TTL whoever holds it). {@code mergingLead}: a lead being merged into the
     * remembered user.
     */
    private record Entry(RecordState state, String value, String owner, Instant heldUntil, Instant createSince,
            String mergingLead, Instant expiresAt) {

        static Entry of(RecordState state, String value, Instant expiresAt) {
            return new Entry(state, value, null, null, null, null, expiresAt);
        }

        boolean expiredAt(Instant now) {
            return expiresAt.isBefore(now);
        }

        /** Claimed by {@code owner} (whether or not its hold has run out: nobody else has taken it over). */
        boolean heldBy(String owner) {
            return owner.equals(this.owner);
        }

        boolean liveHoldOf(String owner, Instant now) {
            return heldBy(owner) && !heldUntil.isBefore(now);
        }

        /** Nobody holds it, its holder's hold ran out, or it is held by the same owner (a retry). */
        boolean claimableBy(String owner, Instant now) {
            return this.owner == null || heldBy(owner) || heldUntil.isBefore(now);
        }
    }
}
