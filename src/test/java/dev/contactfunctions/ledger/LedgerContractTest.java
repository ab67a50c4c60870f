package dev.contactfunctions.ledger;

import dev.contactfunctions.testsupport.TestPseudonyms;
import dev.contactfunctions.sandbox.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every ledger must do, run against each implementation. "Instances" are separate ledger objects over one
 * store: separate DynamoDB clients on one table, as separate Lambda instances would be.
 */
abstract class LedgerContractTest {

    static final Duration HOLD = Duration.ofSeconds(60);
    // the DynamoDB ledger keeps whole seconds; two more make sure a hold has run out on every implementation
    static final Duration PAST_HOLD = HOLD.plusSeconds(2);

    MutableClock clock;
    List<Ledger> instances;
    Ledger ledger;
    String identity;
    String deliveryId;

    /** {@code count} ledgers sharing one store, all reading {@code clock}. */
    abstract List<Ledger> instancesSharingOneStore(int count, MutableClock clock);

    @BeforeEach
    void setUp() {
        clock = MutableClock.startingNow();
        instances = instancesSharingOneStore(5, clock);
        ledger = instances.get(0);
        // fresh keys per test: the DynamoDB table is shared by the tests of a class
        identity = IdentityLedger.email(TestPseudonyms.LOCAL, "person-" + UUID.randomUUID() + "@example.com");
        deliveryId = "delivery-" + UUID.randomUUID();
    }

    @AfterEach
    void closeInstances() throws Exception {
        if (instances == null) {
            return;
        }
        for (Ledger instance : instances) {
            if (instance instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    @Test
    void realAttemptsAreCountedAcrossInstancesAndSurviveTheDeliverysStateChanges() {
        assertThat(ledger.countAttempt(deliveryId)).isEqualTo(1);
        ledger.resumeDelivery(deliveryId, HOLD);
        ledger.deferDelivery(deliveryId, "{\"status\":\"queued\"}");
        assertThat(instances.get(1).countAttempt(deliveryId)).isEqualTo(2);
        instances.get(2).uncountAttempt(deliveryId);
        assertThat(instances.get(3).countAttempt(deliveryId)).isEqualTo(2);
        assertThat(ledger.countAttempt("another-" + deliveryId)).isEqualTo(1);
    }

    @Test
    void exactlyOneOfFiftyConcurrentClaimsForOnePersonWins() throws Exception {
        List<Claim> claims = concurrently(50, i -> instances.get(i % instances.size())
                .claim(identity, "delivery-" + i, HOLD));

        assertThat(claims).filteredOn(Claim.Won.class::isInstance).hasSize(1);
        assertThat(claims).filteredOn(Claim.Held.class::isInstance).hasSize(49)
                .allSatisfy(claim -> assertThat(((Claim.Held) claim).pending()).isTrue());
    }

    @Test
    void theWinnersContactIsWhatEveryLaterClaimAndLookupSees() {
        assertThat(ledger.claim(identity, "first", HOLD)).isEqualTo(Claim.won());
        ledger.remember(identity, "contact-1");

        for (Ledger instance : instances) {
            assertThat(instance.claim(identity, "later", HOLD)).isEqualTo(Claim.heldWith("contact-1"));
            assertThat(instance.contactFor(identity)).contains("contact-1");
        }
    }

    @Test
    void aPendingClaimShowsNoContactYet() {
        ledger.claim(identity, "first", HOLD);

        assertThat(instances.get(1).claim(identity, "second", HOLD)).isEqualTo(Claim.pending());
        assertThat(instances.get(1).contactFor(identity)).isEmpty();
    }

    @Test
    void theSameDeliveryCanClaimAgainWhileItsClaimIsPending() {
        ledger.claim(identity, "delivery-a", HOLD);

        assertThat(instances.get(1).claim(identity, "delivery-a", HOLD)).isEqualTo(Claim.won());
        assertThat(instances.get(2).claim(identity, "delivery-b", HOLD)).isEqualTo(Claim.pending());
    }

    @Test
    void aClaimWhoseHolderNeverFinishedIsTakenOverOnceTheHoldHasRunOut() {
        ledger.claim(identity, "crashed", HOLD);

        clock.advance(HOLD.minusSeconds(1));
        assertThat(instances.get(1).claim(identity, "impatient", HOLD)).isEqualTo(Claim.pending());

        clock.advance(Duration.ofSeconds(3));
        assertThat(instances.get(1).claim(identity, "next", HOLD)).isEqualTo(Claim.won());
        assertThat(instances.get(2).claim(identity, "crashed", HOLD)).isEqualTo(Claim.pending());
    }

    @Test
    void concurrentTakeoversOfAnExpiredClaimLeaveOneWinner() throws Exception {
        ledger.claim(identity, "crashed", HOLD);
        clock.advance(PAST_HOLD);

        List<Claim> claims = concurrently(20, i -> instances.get(i % instances.size())
                .claim(identity, "retry-" + i, HOLD));

        assertThat(claims).filteredOn(Claim.Won.class::isInstance).hasSize(1);
    }

    @Test
    void aReleasedClaimCanBeWonAtOnceButOnlyItsOwnerCanReleaseIt() {
        ledger.claim(identity, "deferred", HOLD);

        instances.get(1).release(identity, "someone-else");
        assertThat(instances.get(1).claim(identity, "next", HOLD)).isEqualTo(Claim.pending());

        instances.get(1).release(identity, "deferred");
        assertThat(instances.get(2).claim(identity, "next", HOLD)).isEqualTo(Claim.won());
    }

    @Test
    void releaseDoesNotDropARememberedContact() {
        ledger.claim(identity, "first", HOLD);
        ledger.remember(identity, "contact-1");

        ledger.release(identity, "first");

        assertThat(ledger.contactFor(identity)).contains("contact-1");
    }

    @Test
    void aRememberedContactLastsForTheTtlThenTheIdentityIsFreeAgain() {
        ledger.remember(identity, "contact-1");

        clock.advance(InMemoryLedger.TTL.minusMinutes(1));
        assertThat(instances.get(1).contactFor(identity)).contains("contact-1");

        clock.advance(Duration.ofMinutes(2));
        assertThat(instances.get(1).contactFor(identity)).isEmpty();
        assertThat(instances.get(1).claim(identity, "next", HOLD)).isEqualTo(Claim.won());
    }

    @Test
    void forgetDropsTheContact() {
        ledger.remember(identity, "contact-1");

        instances.get(1).forget(identity);

        assertThat(ledger.contactFor(identity)).isEmpty();
        assertThat(ledger.claim(identity, "next", HOLD)).isEqualTo(Claim.won());
    }

    @Test
    void forgetOfAContactDropsTheIdentityOnlyWhileItStillNamesThatContact() {
        ledger.remember(identity, "contact-1");
        instances.get(1).forget(identity, "contact-1");
        assertThat(ledger.claim(identity, "second", HOLD)).isEqualTo(Claim.won());

        // a slower delivery that also found contact-1 gone must not drop the claim taken since
        instances.get(2).forget(identity, "contact-1");
        assertThat(ledger.claim(identity, "third", HOLD)).isEqualTo(Claim.pending());

        ledger.remember(identity, "contact-2");
        instances.get(3).forget(identity, "contact-1");
        assertThat(ledger.contactFor(identity)).contains("contact-2");
    }

    // ---- create intents: a create whose outcome is unknown keeps the identity unsettled

    /** {@code owner} claims the identity and writes a create ahead, now: answers the intent's time. */
    private Instant intendCreate(String owner) {
        assertThat(ledger.claim(identity, owner, HOLD)).isEqualTo(Claim.won());
        Instant since = clock.instant();
        assertThat(ledger.intendCreate(identity, owner, since, HOLD)).isTrue();
        return since;
    }

    @Test
    void aCreateIntentLeftByAReleasedClaimIsWhatTheNextClaimIsToldAndItStaysHeldMeanwhile() {
        Instant since = intendCreate("timed-out");

        ledger.release(identity, "timed-out");

        assertThat(instances.get(1).contactFor(identity)).isEmpty();
        assertThat(instances.get(1).claim(identity, "retry", HOLD)).isEqualTo(Claim.wonUnsettled(since));
        assertThat(instances.get(2).claim(identity, "other", HOLD)).isEqualTo(Claim.pending());
    }

    @Test
    void aHolderThatDiedMidCreateLeavesTheIdentityUnsettledOnceItsHoldRunsOutAndForLongAfter() {
        Instant since = intendCreate("killed");

        clock.advance(HOLD.minusSeconds(1));
        assertThat(instances.get(1).claim(identity, "impatient", HOLD)).isEqualTo(Claim.pending());

        clock.advance(Duration.ofMinutes(30));
        assertThat(instances.get(1).claim(identity, "retry", HOLD)).isEqualTo(Claim.wonUnsettled(since));
    }

    @Test
    void aRetryOfTheSameDeliveryIsToldOfItsOwnUnsettledCreate() {
        Instant since = intendCreate("delivery-a");

        assertThat(instances.get(1).claim(identity, "delivery-a", HOLD)).isEqualTo(Claim.wonUnsettled(since));
    }

    @Test
    void whoeverTakesAnUnsettledIdentityOverKeepsTheIntentUntilItIsSettled() {
        Instant since = intendCreate("timed-out");
        ledger.release(identity, "timed-out");

        clock.advance(Duration.ofMinutes(2));
        instances.get(1).claim(identity, "search-failed", HOLD);
        instances.get(1).release(identity, "search-failed");
        assertThat(instances.get(2).claim(identity, "killed", HOLD)).isEqualTo(Claim.wonUnsettled(since));
        clock.advance(PAST_HOLD);
        assertThat(instances.get(3).claim(identity, "settles", HOLD)).isEqualTo(Claim.wonUnsettled(since));

        instances.get(3).remember(identity, "contact-1");
        assertThat(ledger.claim(identity, "later", HOLD)).isEqualTo(Claim.heldWith("contact-1"));
    }

    @Test
    void aNewIntentReplacesAnOlderOne() {
        intendCreate("first");
        ledger.release(identity, "first");
        clock.advance(Duration.ofMinutes(20));
        Instant again = clock.instant();

        instances.get(1).claim(identity, "second", HOLD);
        assertThat(instances.get(1).intendCreate(identity, "second", again, HOLD)).isTrue();
        instances.get(1).release(identity, "second");

        assertThat(instances.get(2).claim(identity, "third", HOLD)).isEqualTo(Claim.wonUnsettled(again));
    }

    @Test
    void anAbandonedCreateLeavesNothingBehind() {
        intendCreate("refused");

        instances.get(1).abandonCreate(identity, "someone-else");
        assertThat(instances.get(1).claim(identity, "next", HOLD)).isEqualTo(Claim.pending());

        ledger.abandonCreate(identity, "refused");
        assertThat(instances.get(1).claim(identity, "next", HOLD)).isEqualTo(Claim.won());
    }

    @Test
    void onlyTheHolderOfALiveClaimCanIntendACreate() {
        assertThat(ledger.intendCreate(identity, "nobody", clock.instant(), HOLD)).isFalse();

        ledger.claim(identity, "slow", HOLD);
        assertThat(instances.get(1).intendCreate(identity, "other", clock.instant(), HOLD)).isFalse();
        clock.advance(PAST_HOLD);
        instances.get(1).claim(identity, "next", HOLD);

        assertThat(ledger.intendCreate(identity, "slow", clock.instant(), HOLD)).isFalse();
        assertThat(instances.get(2).claim(identity, "other", HOLD)).isEqualTo(Claim.pending());
    }

    @Test
    void concurrentTakeoversOfAnUnsettledIdentityLeaveOneWinner() throws Exception {
        intendCreate("timed-out");
        ledger.release(identity, "timed-out");

        List<Claim> claims = concurrently(20, i -> instances.get(i % instances.size())
                .claim(identity, "retry-" + i, HOLD));

        assertThat(claims).filteredOn(Claim.Won.class::isInstance).hasSize(1);
        assertThat(claims).filteredOn(Claim.Held.class::isInstance).hasSize(19);
    }

    @Test
    void identitiesAndDeliveriesNeverCollideEvenWithTheSameKey() {
        ledger.remember("same-key", "contact-1");
        ledger.recordOutcome("same-key", "{\"status\":\"created\"}");

        assertThat(ledger.contactFor("same-key")).contains("contact-1");
        assertThat(ledger.outcomeOf("same-key")).contains("{\"status\":\"created\"}");
    }

    @Test
    void exactlyOneOfConcurrentDuplicateDeliveriesStartsTheOthersSeeItInProgress() throws Exception {
        List<DeliveryStart> starts = concurrently(20, i -> instances.get(i % instances.size())
                .startDelivery(deliveryId, HOLD));

        assertThat(starts).filteredOn(DeliveryStart.Started.class::isInstance).hasSize(1);
        assertThat(starts).filteredOn(DeliveryStart.InProgress.class::isInstance).hasSize(19);
        assertThat(ledger.outcomeOf(deliveryId)).isEmpty();
    }

    @Test
    void aRepeatedDeliveryIsAnsweredWithTheRecordedOutcome() {
        ledger.startDelivery(deliveryId, HOLD);
        ledger.recordOutcome(deliveryId, "{\"contact_id\":\"c1\"}");

        assertThat(instances.get(1).startDelivery(deliveryId, HOLD))
                .isEqualTo(new DeliveryStart.Completed("{\"contact_id\":\"c1\"}"));
        assertThat(instances.get(1).resumeDelivery(deliveryId, HOLD))
                .isEqualTo(new DeliveryStart.Completed("{\"contact_id\":\"c1\"}"));
        assertThat(instances.get(1).outcomeOf(deliveryId)).contains("{\"contact_id\":\"c1\"}");
    }

    @Test
    void aDeferredDeliveryIsAnsweredQueuedAndOnlyTheConsumerResumesIt() throws Exception {
        ledger.startDelivery(deliveryId, HOLD);
        ledger.deferDelivery(deliveryId, "{\"status\":\"queued\"}");

        assertThat(instances.get(1).startDelivery(deliveryId, HOLD))
                .isEqualTo(new DeliveryStart.Queued("{\"status\":\"queued\"}"));
        assertThat(instances.get(1).outcomeOf(deliveryId)).contains("{\"status\":\"queued\"}");

        List<DeliveryStart> resumes = concurrently(10, i -> instances.get(i % instances.size())
                .resumeDelivery(deliveryId, HOLD));
        assertThat(resumes).filteredOn(DeliveryStart.Started.class::isInstance).hasSize(1);
        assertThat(resumes).filteredOn(DeliveryStart.InProgress.class::isInstance).hasSize(9);
    }

    @Test
    void aConsumerThatFailsAgainPutsTheDeliveryBackOnTheQueue() {
        ledger.deferDelivery(deliveryId, "{\"status\":\"queued\"}");
        ledger.resumeDelivery(deliveryId, HOLD);

        ledger.deferDelivery(deliveryId, "{\"status\":\"queued\"}");

        assertThat(instances.get(1).resumeDelivery(deliveryId, HOLD)).isEqualTo(new DeliveryStart.Started());
    }

    @Test
    void anAbandonedDeliveryCanStartAgainButAbandonNeverDropsAnOutcome() {
        ledger.startDelivery(deliveryId, HOLD);
        ledger.abandonDelivery(deliveryId);
        assertThat(instances.get(1).startDelivery(deliveryId, HOLD)).isEqualTo(new DeliveryStart.Started());

        ledger.recordOutcome(deliveryId, "{\"ok\":true}");
        ledger.abandonDelivery(deliveryId);
        assertThat(ledger.outcomeOf(deliveryId)).contains("{\"ok\":true}");

        String queued = deliveryId + "-queued";
        ledger.deferDelivery(queued, "{\"status\":\"queued\"}");
        ledger.abandonDelivery(queued);
        assertThat(ledger.outcomeOf(queued)).contains("{\"status\":\"queued\"}");
    }

    @Test
    void aDeliveryWhoseProcessorNeverFinishedCanStartAgainAfterTheHold() {
        ledger.startDelivery(deliveryId, HOLD);

        Instant heldUntil = clock.instant().plus(HOLD);

        clock.advance(HOLD.minusSeconds(1));
        assertThat(instances.get(1).startDelivery(deliveryId, HOLD)).isEqualTo(new DeliveryStart.InProgress(heldUntil));

        clock.advance(Duration.ofSeconds(3));
        assertThat(instances.get(1).startDelivery(deliveryId, HOLD)).isEqualTo(new DeliveryStart.Started());
    }

    @Test
    void aRecordedOutcomeExpiresAfterTheTtl() {
        ledger.recordOutcome(deliveryId, "{\"ok\":true}");

        clock.advance(InMemoryLedger.TTL.plusMinutes(1));

        assertThat(ledger.outcomeOf(deliveryId)).isEmpty();
        assertThat(ledger.startDelivery(deliveryId, HOLD)).isEqualTo(new DeliveryStart.Started());
    }

    interface IndexedCall<T> {
        T call(int index) throws Exception;
    }

    /** Runs {@code count} calls at once (released together by a latch) and returns their answers. */
    static <T> List<T> concurrently(int count, IndexedCall<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch ready = new CountDownLatch(count);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                Callable<T> task = () -> {
                    ready.countDown();
                    go.await();
                    return call.call(index);
                };
                futures.add(pool.submit(task));
            }
            ready.await(30, TimeUnit.SECONDS);
            go.countDown();
            List<T> answers = new ArrayList<>();
            for (Future<T> future : futures) {
                answers.add(future.get(60, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }
}
