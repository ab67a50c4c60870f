package dev.contactfunctions.leadcapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.contactfunctions.testsupport.TestPseudonyms;
import dev.contactfunctions.intercom.CallBudget;
import dev.contactfunctions.intercom.IntercomClient;
import dev.contactfunctions.intercom.IntercomException;
import dev.contactfunctions.ledger.Claim;
import dev.contactfunctions.ledger.IdentityBusyException;
import dev.contactfunctions.ledger.IdentityClaims;
import dev.contactfunctions.ledger.IdentityLedger;
import dev.contactfunctions.ledger.Ledger;
import dev.contactfunctions.ledger.LedgerConfig;
import dev.contactfunctions.ledger.TestLedgers;
import dev.contactfunctions.reliability.ReliabilityProfile;
import dev.contactfunctions.sandbox.Endpoint;
import dev.contactfunctions.sandbox.Fault;
import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.MutableClock;
import dev.contactfunctions.testsupport.InjectSandbox;
import dev.contactfunctions.testsupport.MutableClockSandboxResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * A lead create whose outcome is unknown, against the sandbox with two minutes of search lag on its clock (which the
 * ledger and the service share): written ahead, never sent again before search has had the settle horizon to show
 * it, and dropped at once when the failure proves that nothing was written.
 */
@QuarkusTest
@TestProfile(ReliabilityProfile.class)
@WithTestResource(MutableClockSandboxResource.class)
class LeadCaptureAmbiguousCreateTest {

    private static final Duration LAG = Duration.ofMinutes(2);
    /** Longer than the profile's read timeout (250 ms): the client gives up first. */
    private static final Duration STALL = Duration.ofSeconds(1);

    @InjectSandbox
    IntercomSandbox sandbox;
    @Inject
    IntercomClient intercom;
    @Inject
    LeadCaptureConfig config;
    @Inject
    LedgerConfig ledgerConfig;
    @Inject
    CallBudget budget;

    private MutableClock clock;
    private Ledger ledger;
    private LeadCaptureService service;
    private LeadSubmission lead;

    @BeforeEach
    void freshLedgerAndPerson() {
        clock = (MutableClock) sandbox.clock();
        sandbox.setSearchLag(LAG);
        sandbox.faults().clear();
        CircuitBreakerMaintenance.get().resetAll();
        ledger = TestLedgers.inMemory(clock);
        service = new LeadCaptureService(intercom, new CustomAttributeCatalog(intercom, config), new TagCatalog(intercom),
                new IdentityClaims(ledger, ledgerConfig, clock), budget, ledgerConfig, clock,
                TestPseudonyms.LOCAL, new FormPolicy(config));
        lead = new LeadSubmission("ambiguous+" + UUID.randomUUID().toString().substring(0, 8) + "@example.com",
                "Ada", null, Map.of(), Map.of(), List.of());
    }

    @Test
    void theSettleHorizonIsFifteenMinutesByDefault() {
        assertThat(ledgerConfig.createSettle()).isEqualTo(Duration.ofMinutes(15));
    }

    /**
     * Creates Intercom answered: a create another test stalled is counted (with no status) only when its connection
     * goes, which may be during this test.
     */
    private long createsAnswered() {
        return sandbox.stats().calls(Endpoint.CREATE_CONTACT, 200) + sandbox.stats().calls(Endpoint.CREATE_CONTACT, 500);
    }

    @Test
    void aCreateAnswered500ThatWroteNothingWaitsOutTheHorizonThenIsCreatedOnce() {
        Instant sentAt = clock.instant();
        sandbox.faults().next(1, Endpoint.CREATE_CONTACT, Fault.status(500));
        assertThatThrownBy(() -> service.capture(lead, "first")).isInstanceOf(IntercomException.ServerError.class);
        long creates = createsAnswered();
        long searches = sandbox.stats().calls(Endpoint.SEARCH_CONTACTS);

        clock.advance(Duration.ofMinutes(1));
        IdentityBusyException busy = catchThrowableOfType(() -> service.capture(lead, "second"),
                IdentityBusyException.class);

        assertThat(busy.notBefore()).contains(sentAt.plus(ledgerConfig.createSettle()));
        assertThat(sandbox.stats().calls(Endpoint.SEARCH_CONTACTS)).isEqualTo(searches + 1);
        assertThat(createsAnswered()).isEqualTo(creates);

        clock.set(sentAt.plus(ledgerConfig.createSettle()).minusSeconds(1));
        assertThatThrownBy(() -> service.capture(lead, "second")).isInstanceOf(IdentityBusyException.class);
        clock.set(sentAt.plus(ledgerConfig.createSettle()));
        LeadOutcome outcome = service.capture(lead, "second");

        assertThat(outcome.outcome()).isEqualTo(LeadOutcome.Outcome.created);
        assertThat(createsAnswered()).isEqualTo(creates + 1);
        assertThat(sandbox.contactsWithEmail(lead.email())).singleElement()
                .satisfies(c -> assertThat(c.id()).isEqualTo(outcome.contactId()));
    }

    @Test
    void aTimedOutCreateThatLandedIsFoundOnceSearchShowsItAndNeverCreatedTwice() {
        sandbox.faults().next(1, Endpoint.CREATE_CONTACT,
                Fault.landsAnyway(Fault.stall(STALL)));
        IntercomException timeout = catchThrowableOfType(() -> service.capture(lead, "first"),
                IntercomException.Unavailable.class);
        assertThat(timeout.mayHaveWritten()).isTrue();
        String landed = sandbox.contactsWithEmail(lead.email()).get(0).id();

        clock.advance(Duration.ofMinutes(1));
        assertThatThrownBy(() -> service.capture(lead, "second")).isInstanceOf(IdentityBusyException.class);
        clock.advance(LAG);
        LeadOutcome outcome = service.capture(lead, "second");

        assertThat(outcome.outcome()).isEqualTo(LeadOutcome.Outcome.updated);
        assertThat(outcome.contactId()).isEqualTo(landed);
        assertThat(sandbox.contactsWithEmail(lead.email())).hasSize(1);
        assertThat(ledger.contactFor(IdentityLedger.email(TestPseudonyms.LOCAL, lead.email()))).contains(landed);
    }

    @Test
    void aCreateRefusedWith4xxWroteNothingSoTheNextDeliveryCreatesAtOnce() {
        sandbox.faults().next(1, Endpoint.CREATE_CONTACT, Fault.error(400, "parameter_invalid", "Invalid phone"));
        assertThatThrownBy(() -> service.capture(lead, "first")).isInstanceOf(IntercomException.InvalidRequest.class);

        assertThat(ledger.claim(IdentityLedger.email(TestPseudonyms.LOCAL, lead.email()), "probe", Duration.ofSeconds(1)))
                .isEqualTo(Claim.won());
        ledger.release(IdentityLedger.email(TestPseudonyms.LOCAL, lead.email()), "probe");
        assertThat(service.capture(lead, "second").outcome()).isEqualTo(LeadOutcome.Outcome.created);
    }

    @Test
    void aCreateWhoseConnectionBrokeAfterSendingIsUnsettled() {
        sandbox.faults().next(1, Endpoint.CREATE_CONTACT, Fault.dropConnection());
        Instant sentAt = clock.instant();
        assertThatThrownBy(() -> service.capture(lead, "first")).isInstanceOf(IntercomException.Unavailable.class);

        assertThat(ledger.claim(IdentityLedger.email(TestPseudonyms.LOCAL, lead.email()), "probe", Duration.ofSeconds(1)))
                .isEqualTo(Claim.wonUnsettled(sentAt));
    }

}
