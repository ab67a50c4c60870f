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
        assertThat(ledger.countAttempt(deliveryId, "2")).isEqualTo(1);
        ledger.resumeDelivery(deliveryId, HOLD);
        ledger.deferDelivery(deliveryId, "{\"status\":\"queued\"}");
        assertThat(instances.get(1).countAttempt(deliveryId, "3")).isEqualTo(2);
        instances.get(2).uncountAttempt(deliveryId, "3");
        assertThat(instances.get(3).countAttempt(deliveryId, "4")).isEqualTo(2);
        assertThat(ledger.countAttempt("another-" + deliveryId, "2")).isEqualTo(1);
    }

    /** A count (or a take-back) repeated after its answer was lost, as the SDK repeats a request, counts once. */
    @Test
    void anAttemptCountedOrTakenBackTwiceForOneReceiveCountsOnce() {
        assertThat(ledger.countAttempt(deliveryId, "2")).isEqualTo(1);
        assertThat(instances.get(1).countAttempt(deliveryId, "2")).isEqualTo(1);
        assertThat(ledger.countAttempt(deliveryId, "3")).isEqualTo(2);

        instances.get(2).uncountAttempt(deliveryId, "3");
        instances.get(2).uncountAttempt(deliveryId, "3");
        instances.get(2).uncountAttempt(deliveryId, "2");
        assertThat(ledger.countAttempt(deliveryId, "4")).isEqualTo(2);
        assertThat(ledger.countAttempt(deliveryId, "5")).isEqualTo(3);
    }

    @Test
    void exactlyOneOfFiftyConcurrentClaimsForOnePersonWins() throws Exception {
        List<Claim> claims = concurrently(50, i -> instances.get(i % instances.size())
                .claim(identity, "delivery-" + i, HOLD));

        assertThat(claims).filteredOn(Claim.Won.class::isInstance).hasSize(1);
        assertThat(claims).filteredOn(Claim.Held.class::isInstance).hasSize(49);
    }

    @Test
    void theWinnersContactIsWhatEveryLaterClaimAndLookupSees() {
        assertThat(ledger.claim(identity, "first", HOLD)).isEqualTo(Claim.won());
        assertThat(ledger.remember(identity, "first", "contact-1")).isTrue();
        ledger.release(identity, "first");

        for (Ledger instance : instances) {
            assertThat(instance.contactFor(identity)).contains("contact-1");
            assertThat(instance.claim(identity, "later", HOLD)).isEqualTo(Claim.wonWith("contact-1"));
            instance.release(identity, "later");
        }
    }

    @Test
    void aRememberedContactIsHeldByOneDeliveryAtATimeUntilItIsReleased() {
        remembered("contact-1");

        assertThat(ledger.claim(identity, "form-1", HOLD)).isEqualTo(Claim.wonWith("contact-1"));
        assertThat(instances.get(1).claim(identity, "identify", HOLD)).isEqualTo(Claim.held());
        assertThat(instances.get(2).claim(identity, "form-1", HOLD)).isEqualTo(Claim.wonWith("contact-1"));
        assertThat(instances.get(1).contactFor(identity)).contains("contact-1");

        ledger.release(identity, "form-1");
        assertThat(instances.get(1).claim(identity, "identify", HOLD)).isEqualTo(Claim.wonWith("contact-1"));
    }

    @Test
    void aHolderOfARememberedContactThatDiedIsTakenOverOnceItsHoldRunsOut() {
        remembered("contact-1");
        ledger.claim(identity, "killed", HOLD);

        clock.advance(HOLD.minusSeconds(1));
        assertThat(instances.get(1).claim(identity, "impatient", HOLD)).isEqualTo(Claim.held());
        clock.advance(Duration.ofSeconds(3));
        assertThat(instances.get(1).claim(identity, "next", HOLD)).isEqualTo(Claim.wonWith("contact-1"));
        assertThat(ledger.remember(identity, "killed", "contact-2")).isFalse();
        assertThat(ledger.contactFor(identity)).contains("contact-1");
    }

    @Test
    void concurrentClaimsOfARememberedContactLeaveOneHolder() throws Exception {
        remembered("contact-1");

        List<Claim> claims = concurrently(20, i -> instances.get(i % instances.size())
                .claim(identity, "form-" + i, HOLD));

        assertThat(claims).filteredOn(Claim.Won.class::isInstance).containsExactly(Claim.wonWith("contact-1"));
    }

    @Test
    void aPendingClaimShowsNoContactYet() {
        ledger.claim(identity, "first", HOLD);

        assertThat(instances.get(1).claim(identity, "second", HOLD)).isEqualTo(Claim.held());
        assertThat(instances.get(1).contactFor(identity)).isEmpty();
    }

    @Test
    void theSameDeliveryCanClaimAgainWhileItsClaimIsPending() {
        ledger.claim(identity, "delivery-a", HOLD);

        assertThat(instances.get(1).claim(identity, "delivery-a", HOLD)).isEqualTo(Claim.won());
        assertThat(instances.get(2).claim(identity, "delivery-b", HOLD)).isEqualTo(Claim.held());
    }

    @Test
    void aClaimWhoseHolderNeverFinishedIsTakenOverOnceTheHoldHasRunOut() {
        ledger.claim(identity, "crashed", HOLD);

        clock.advance(HOLD.minusSeconds(1));
        assertThat(instances.get(1).claim(identity, "impatient", HOLD)).isEqualTo(Claim.held());

        clock.advance(Duration.ofSeconds(3));
        assertThat(instances.get(1).claim(identity, "next", HOLD)).isEqualTo(Claim.won());
        assertThat(instances.get(2).claim(identity, "crashed", HOLD)).isEqualTo(Claim.held());
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
        assertThat(instances.get(1).claim(identity, "next", HOLD)).isEqualTo(Claim.held());

        instances.get(1).release(identity, "deferred");
        assertThat(instances.get(2).claim(identity, "next", HOLD)).isEqualTo(Claim.won());
    }

    @Test
    void releaseDoesNotDropARememberedContact() {
        ledger.claim(identity, "first", HOLD);
        ledger.remember(identity, "first", "contact-1");

        ledger.release(identity, "first");

        assertThat(ledger.contactFor(identity)).contains("contact-1");
    }

    @Test
    void aRememberedContactLastsForTheTtlThenTheIdentityIsFreeAgain() {
        remembered("contact-1");

        clock.advance(InMemoryLedger.TTL.minusMinutes(1));
        assertThat(instances.get(1).contactFor(identity)).contains("contact-1");

        clock.advance(Duration.ofMinutes(2));
        assertThat(instances.get(1).contactFor(identity)).isEmpty();
        assertThat(instances.get(1).claim(identity, "next", HOLD)).isEqualTo(Claim.won());
    }

    @Test
    void onlyTheHolderForgetsAContact() {
        remembered("contact-1");
        ledger.claim(identity, "holder", HOLD);

        instances.get(1).forget(identity, "someone-else");
        assertThat(ledger.contactFor(identity)).contains("contact-1");

        instances.get(1).forget(identity, "holder");
        assertThat(ledger.contactFor(identity)).isEmpty();
        assertThat(ledger.claim(identity, "next", HOLD)).isEqualTo(Claim.won());
    }

    @Test
    void nothingIsRememberedWithoutTheClaim() {
        assertThat(ledger.remember(identity, "nobody", "contact-1")).isFalse();
        assertThat(ledger.contactFor(identity)).isEmpty();

        ledger.claim(identity, "holder", HOLD);
        assertThat(instances.get(1).remember(identity, "other", "contact-2")).isFalse();
        assertThat(ledger.remember(identity, "holder", "contact-1")).isTrue();
        assertThat(instances.get(1).remember(identity, "other", "contact-2")).isFalse();
        assertThat(ledger.contactFor(identity)).contains("contact-1");
    }

    /**
     * A delivery that merged a lead, or found the remembered contact gone, while another had just claimed the identity
     * again and written a create ahead, writes nothing over it: remember and forget need the writer's claim.
     */
    @Test
    void aWriterWithoutTheClaimCannotEraseTheCreateIntentOfTheDeliveryThatReclaimedTheIdentity() {
        remembered("lead-1");
        ledger.claim(identity, "form", HOLD);
        Instant since = clock.instant();
        assertThat(ledger.intendCreate(identity, "form", since, HOLD)).isTrue();

        instances.get(1).remember(identity, "identify", "user-1");
        instances.get(1).forget(identity, "identify");
        instances.get(1).release(identity, "identify");
        assertThat(instances.get(1).intendMerge(identity, "identify", "lead-1", "user-1", HOLD)).isFalse();

        ledger.release(identity, "form");
        assertThat(instances.get(2).claim(identity, "next", HOLD)).isEqualTo(Claim.wonUnsettled(since));
    }

    // ---- merge intents: a merge whose outcome is unknown leaves the identity naming the user

    @Test
    void aMergeWrittenAheadNamesTheUserAndTheLeadForWhoeverClaimsNext() {
        remembered("lead-1");
        ledger.claim(identity, "identify", HOLD);

        assertThat(ledger.intendMerge(identity, "identify", "lead-1", "user-1", HOLD)).isTrue();
        assertThat(instances.get(1).claim(identity, "form", HOLD)).isEqualTo(Claim.held());
        assertThat(instances.get(1).contactFor(identity)).contains("user-1");
        ledger.release(identity, "identify"); // the merge's answer was lost

        assertThat(instances.get(1).claim(identity, "form", HOLD)).isEqualTo(Claim.wonMerging("user-1", "lead-1"));
        instances.get(1).release(identity, "form");
        assertThat(instances.get(2).claim(identity, "identify-again", HOLD))
                .isEqualTo(Claim.wonMerging("user-1", "lead-1"));
        assertThat(instances.get(2).remember(identity, "identify-again", "user-1")).isTrue();
        instances.get(2).release(identity, "identify-again");
        assertThat(instances.get(3).claim(identity, "later", HOLD)).isEqualTo(Claim.wonWith("user-1"));
    }

    @Test
    void aHolderThatDiedMidMergeLeavesTheUserAndTheLeadOnceItsHoldRunsOut() {
        ledger.claim(identity, "killed", HOLD);
        assertThat(ledger.intendMerge(identity, "killed", "lead-1", "user-1", HOLD)).isTrue();

        clock.advance(HOLD.minusSeconds(1));
        assertThat(instances.get(1).claim(identity, "form", HOLD)).isEqualTo(Claim.held());
        clock.advance(Duration.ofSeconds(3));
        assertThat(instances.get(1).claim(identity, "form", HOLD)).isEqualTo(Claim.wonMerging("user-1", "lead-1"));
    }

    @Test
    void onlyTheHolderOfALiveClaimCanWriteAMergeAhead() {
        assertThat(ledger.intendMerge(identity, "nobody", "lead-1", "user-1", HOLD)).isFalse();
        ledger.claim(identity, "slow", HOLD);
        clock.advance(PAST_HOLD);
        instances.get(1).claim(identity, "next", HOLD);

        assertThat(ledger.intendMerge(identity, "slow", "lead-1", "user-1", HOLD)).isFalse();
        assertThat(ledger.contactFor(identity)).isEmpty();
    }

    @Test
    void aMergeWrittenAheadByTheHolderOfAnUnsettledCreateReplacesTheIntent() {
        intendCreate("settled-by-search");

        assertThat(ledger.intendMerge(identity, "settled-by-search", "lead-1", "user-1", HOLD)).isTrue();
        ledger.release(identity, "settled-by-search");

        assertThat(instances.get(1).claim(identity, "next", HOLD)).isEqualTo(Claim.wonMerging("user-1", "lead-1"));
    }

    /** Remembered by a delivery that has finished: nobody holds the identity. */
    private void remembered(String contactId) {
        String seeder = "seed-" + UUID.randomUUID();
        assertThat(ledger.claim(identity, seeder, HOLD)).isInstanceOf(Claim.Won.class);
        assertThat(ledger.remember(identity, seeder, contactId)).isTrue();
        ledger.release(identity, seeder);
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
        assertThat(instances.get(2).claim(identity, "other", HOLD)).isEqualTo(Claim.held());
    }

    @Test
    void aCreateWrittenAheadOverARememberedContactThatIsGoneDropsThatContact() {
        remembered("merged-away");
        ledger.claim(identity, "form", HOLD);
        Instant since = clock.instant();

        assertThat(ledger.intendCreate(identity, "form", since, HOLD)).isTrue();
        ledger.release(identity, "form");

        assertThat(ledger.contactFor(identity)).isEmpty();
        assertThat(instances.get(1).claim(identity, "retry", HOLD)).isEqualTo(Claim.wonUnsettled(since));
    }

    @Test
    void aHolderThatDiedMidCreateLeavesTheIdentityUnsettledOnceItsHoldRunsOutAndForLongAfter() {
        Instant since = intendCreate("killed");

        clock.advance(HOLD.minusSeconds(1));
        assertThat(instances.get(1).claim(identity, "impatient", HOLD)).isEqualTo(Claim.held());

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

        assertThat(instances.get(3).remember(identity, "settles", "contact-1")).isTrue();
        instances.get(3).release(identity, "settles");
        assertThat(ledger.claim(identity, "later", HOLD)).isEqualTo(Claim.wonWith("contact-1"));
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

        instances.get(1).forget(identity, "someone-else");
        assertThat(instances.get(1).claim(identity, "next", HOLD)).isEqualTo(Claim.held());

        ledger.forget(identity, "refused");
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
        assertThat(instances.get(2).claim(identity, "other", HOLD)).isEqualTo(Claim.held());
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
        remembered("contact-1");
        ledger.recordOutcome(identity, "{\"status\":\"created\"}");

        assertThat(ledger.contactFor(identity)).contains("contact-1");
        assertThat(ledger.outcomeOf(identity)).contains("{\"status\":\"created\"}");
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
