package dev.contactfunctions.ledger;

import dev.contactfunctions.testsupport.LedgerSeeds;

import dev.contactfunctions.testsupport.TestPseudonyms;
import dev.contactfunctions.sandbox.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IdentityClaimsTest {

    static final String PERSON = IdentityLedger.email(TestPseudonyms.LOCAL, "ada@example.com");
    static final Duration HOLD = Duration.ofSeconds(60);

    MutableClock clock;
    InMemoryLedger ledger;
    List<Duration> sleeps;

    @BeforeEach
    void setUp() {
        clock = MutableClock.startingNow();
        ledger = new InMemoryLedger(clock);
        sleeps = new ArrayList<>();
    }

    /** Claims whose waits move the test clock (and may let the holder act) instead of sleeping. */
    IdentityClaims claims(Duration maxWait, Runnable holderDuringWait) {
        return new IdentityClaims(ledger, HOLD, maxWait, clock, duration -> {
            sleeps.add(duration);
            clock.advance(duration);
            holderDuringWait.run();
        });
    }

    @Test
    void theFirstDeliveryWinsWithoutWaiting() {
        Claim claim = claims(Duration.ofSeconds(5), () -> { }).claim(PERSON, "delivery-1", Duration.ofSeconds(20));

        assertThat(claim).isEqualTo(Claim.won());
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aKnownContactNobodyHoldsIsWonWithoutWaiting() {
        LedgerSeeds.remembered(ledger, PERSON, "contact-1");

        Claim claim = claims(Duration.ofSeconds(5), () -> { }).claim(PERSON, "delivery-2", Duration.ofSeconds(20));

        assertThat(claim).isEqualTo(Claim.wonWith("contact-1"));
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aLoserWaitsForTheHolderAndWinsItsContact() {
        ledger.claim(PERSON, "delivery-1", HOLD);
        int[] polls = {0};

        Claim claim = claims(Duration.ofSeconds(5), () -> {
            if (++polls[0] == 3) {
                ledger.remember(PERSON, "delivery-1", "contact-1");
                ledger.release(PERSON, "delivery-1");
            }
        }).claim(PERSON, "delivery-2", Duration.ofSeconds(20));

        assertThat(claim).isEqualTo(Claim.wonWith("contact-1"));
        assertThat(sleeps).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void aLoserWinsWhenTheHolderReleasesDuringTheWait() {
        ledger.claim(PERSON, "delivery-1", HOLD);

        Claim claim = claims(Duration.ofSeconds(5), () -> ledger.release(PERSON, "delivery-1"))
                .claim(PERSON, "delivery-2", Duration.ofSeconds(20));

        assertThat(claim).isEqualTo(Claim.won());
    }

    @Test
    void aLoserGivesUpStillHeldOnceTheConfiguredWaitIsOver() {
        ledger.claim(PERSON, "delivery-1", HOLD);

        Claim claim = claims(Duration.ofSeconds(5), () -> { }).claim(PERSON, "delivery-2", Duration.ofSeconds(20));

        assertThat(claim).isEqualTo(Claim.held());
        assertThat(sleeps.stream().reduce(Duration.ZERO, Duration::plus)).isLessThanOrEqualTo(Duration.ofSeconds(5));
        assertThat(sleeps).allSatisfy(sleep -> assertThat(sleep).isLessThanOrEqualTo(IdentityClaims.LONGEST_POLL));
    }

    /** A clock that does not move while the poller sleeps (a test's) still ends the wait: the sleeps count. */
    @Test
    void aLoserGivesUpAfterTheConfiguredWaitOfSleepsWhenTheClockStandsStill() {
        ledger.claim(PERSON, "delivery-1", HOLD);
        IdentityClaims standingStill = new IdentityClaims(ledger, HOLD, Duration.ofSeconds(5), clock, sleeps::add);

        Claim claim = standingStill.claim(PERSON, "delivery-2", Duration.ofSeconds(20));

        assertThat(claim).isEqualTo(Claim.held());
        assertThat(sleeps.stream().reduce(Duration.ZERO, Duration::plus)).isLessThanOrEqualTo(Duration.ofSeconds(5))
                .isGreaterThan(Duration.ofSeconds(3));
    }

    @Test
    void theWaitNeverOutlastsTheInvocationsBudget() {
        ledger.claim(PERSON, "delivery-1", HOLD);

        Claim claim = claims(Duration.ofSeconds(5), () -> { }).claim(PERSON, "delivery-2", Duration.ofMillis(400));

        assertThat(claim).isEqualTo(Claim.held());
        assertThat(sleeps.stream().reduce(Duration.ZERO, Duration::plus)).isLessThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void noBudgetLeftMeansNoWaitAtAll() {
        ledger.claim(PERSON, "delivery-1", HOLD);

        Claim claim = claims(Duration.ofSeconds(5), () -> { }).claim(PERSON, "delivery-2", Duration.ZERO);

        assertThat(claim).isEqualTo(Claim.held());
        assertThat(sleeps).isEmpty();
    }
}
