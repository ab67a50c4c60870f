package dev.contactfunctions.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.contactfunctions.testsupport.TestPseudonyms;
import dev.contactfunctions.deferral.InMemoryDeferralQueue;
import dev.contactfunctions.intercom.CallBudget;
import dev.contactfunctions.intercom.IntercomClient;
import dev.contactfunctions.ledger.Claim;
import dev.contactfunctions.ledger.IdentityLedger;
import dev.contactfunctions.ledger.Ledger;
import dev.contactfunctions.ledger.LedgerConfig;
import dev.contactfunctions.ledger.TestLedgers;
import dev.contactfunctions.reliability.ReliabilityProfile;
import dev.contactfunctions.sandbox.Endpoint;
import dev.contactfunctions.sandbox.Fault;
import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.MutableClock;
import dev.contactfunctions.sandbox.SandboxContact;
import dev.contactfunctions.sandbox.SeedContact;
import dev.contactfunctions.testsupport.HandlerCalls;
import dev.contactfunctions.testsupport.InjectSandbox;
import dev.contactfunctions.testsupport.MutableClockSandboxResource;
import dev.contactfunctions.testsupport.SandboxCalls;
import dev.contactfunctions.testsupport.WebhookAnswer;
import dev.contactfunctions.webhook.WebhookSecrets;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * A user create the client gave up on (no answer within its read timeout, or a 5xx) that lands in Intercom all the
 * same, within one invocation: the client retries the create, and Intercom's uniqueness of {@code external_id} decides,
 * while search lags 10 minutes on the sandbox clock and shows neither user.
 */
@QuarkusTest
@TestProfile(ReliabilityProfile.class)
@WithTestResource(MutableClockSandboxResource.class)
class IdentifyAmbiguousCreateTest {

    @InjectSandbox
    IntercomSandbox sandbox;
    @Inject
    IntercomClient intercom;
    @Inject
    IdentifyMergeConfig config;
    @Inject
    LedgerConfig ledgerConfig;
    @Inject
    WebhookSecrets secrets;
    @Inject
    CallBudget budget;

    private MutableClock clock;
    private Ledger ledger;
    private InMemoryDeferralQueue queue;
    private IdentifyMergeInstances.Instance instance;
    private IdentifyMergeHandler handler;
    private String email;
    private String externalId;
    private String lead;

    @BeforeEach
    void newPersonWithALeadAndSearchLagging10Minutes() {
        clock = (MutableClock) sandbox.clock();
        sandbox.setSearchLag(Duration.ofMinutes(10));
        sandbox.faults().clear();
        CircuitBreakerMaintenance.get().resetAll();
        if (!sandbox.customAttributeNames().contains("plan")) {
            sandbox.defineDataAttribute("plan", "string");
        }
        ledger = TestLedgers.inMemory(clock);
        queue = new InMemoryDeferralQueue();
        instance = IdentifyMergeInstances.create(intercom, config, ledger, ledgerConfig, queue, secrets, budget, clock);
        handler = instance.handler();
        email = "late+" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        externalId = "ext-" + email;
        lead = sandbox.addContact(SeedContact.lead(email));
    }

    @Test
    void createThatTimedOutButLandedIsFoundThroughTheRetrysConflict() {
        // held past the profile's read timeout (250 ms): the client gives up, then retries the create
        sandbox.faults().next(1, Endpoint.CREATE_CONTACT, Fault.landsAnyway(Fault.stall(Duration.ofSeconds(1))));
        Map<Endpoint, Long> before = SandboxCalls.counts(sandbox);
        long conflictsBefore = sandbox.stats().calls(Endpoint.CREATE_CONTACT, 409);

        WebhookAnswer answer = signUp();

        assertThat(answer.status()).isEqualTo(200);
        SandboxContact user = theOneUser();
        assertThat(answer.body().path("user_id").asText()).isEqualTo(user.id());
        assertThat(sandbox.mergedInto(lead)).contains(user.id());
        // the retried create answered 409 naming the user that landed, which was read once (the stalled create is
        // counted only when the sandbox lets its connection go)
        assertThat(sandbox.stats().calls(Endpoint.CREATE_CONTACT, 409) - conflictsBefore).isEqualTo(1);
        assertThat(SandboxCalls.since(sandbox, before)).containsEntry(Endpoint.GET_CONTACT, 1L);
    }

    @Test
    void createAnswered5xxThatLandsAfterTheRetryMadeTheUserLandsNothing() {
        sandbox.faults().next(1, Endpoint.CREATE_CONTACT, Fault.landsAt(clock.instant().plus(Duration.ofMinutes(3)),
                Fault.status(503)));

        WebhookAnswer answer = signUp();

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("user_created").asBoolean()).isTrue();
        clock.advance(Duration.ofMinutes(3));
        sandbox.landDueWrites();
        assertThat(sandbox.pendingLateWrites()).isZero();
        SandboxContact user = theOneUser();
        assertThat(answer.body().path("user_id").asText()).isEqualTo(user.id());
        assertThat(sandbox.mergedInto(lead)).contains(user.id());
    }

    @Test
    void createThatLandsBeforeTheNextDeliveryIsFoundByExternalIdWhileSearchHidesIt() {
        sandbox.faults().always(Endpoint.CREATE_CONTACT, Fault.landsAt(clock.instant().plus(Duration.ofSeconds(30)),
                Fault.status(502)));
        WebhookAnswer first = signUp();
        assertThat(first.status()).isEqualTo(202);
        sandbox.faults().clear();
        CircuitBreakerMaintenance.get().resetAll();
        clock.advance(Duration.ofMinutes(1));
        long createsBefore = createsAnswered();

        WebhookAnswer again = signUp();

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().path("user_created").asBoolean()).isFalse();
        assertThat(again.body().path("user_id").asText()).isEqualTo(theOneUser().id());
        assertThat(createsAnswered()).as("no create sent").isEqualTo(createsBefore);
    }

    /** Creates Intercom answered (a stalled one of another test is counted only when its connection goes). */
    private long createsAnswered() {
        return sandbox.stats().calls(Endpoint.CREATE_CONTACT, 200)
                + sandbox.stats().calls(Endpoint.CREATE_CONTACT, 409);
    }

    @Test
    void leadCreateOfThePersonWithAnUnknownOutcomeIsWaitedForAndItsLateLeadMerged() {
        // a lead capture delivery sent a create for the person's email and got no trustworthy answer
        String identity = IdentityLedger.email(TestPseudonyms.LOCAL, email);
        Instant sent = clock.instant();
        assertThat(ledger.claim(identity, "lead-capture-1", ledgerConfig.claimHold())).isInstanceOf(Claim.Won.class);
        assertThat(ledger.intendCreate(identity, "lead-capture-1", sent, ledgerConfig.claimHold())).isTrue();
        ledger.release(identity, "lead-capture-1");

        WebhookAnswer answer = signUp();

        // the user is made and the lead search shows is merged; the rest waits for the settle horizon
        assertThat(answer.status()).isEqualTo(202);
        SandboxContact user = theOneUser();
        assertThat(sandbox.mergedInto(lead)).contains(user.id());
        assertThat(ledger.claim(identity, "lead-capture-2", ledgerConfig.claimHold()))
                .as("the create's record is left to the lead capture delivery that settles it")
                .isEqualTo(new Claim.Won(Optional.of(sent)));
        ledger.release(identity, "lead-capture-2");

        String late = sandbox.addContact(SeedContact.lead(email).createdAt(sent)); // Intercom made it after all
        clock.advance(ledgerConfig.createSettle().plusMinutes(1));
        assertThat(queue.drain(instance.consumer()).delivered()).isEqualTo(1);

        assertThat(sandbox.mergedInto(late)).contains(user.id());
        assertThat(theOneUser().id()).isEqualTo(user.id());
        assertThat(ledger.contactFor(identity)).contains(user.id());
        assertThat(ledger.outcomeOf(IdentifyMergeInstances.ledgerKey(answer.body().path("delivery_id").asText())))
                .hasValueSatisfying(outcome -> assertThat(outcome).contains("\"user_id\":\"" + user.id() + "\""));
    }

    private WebhookAnswer signUp() {
        return HandlerCalls.webhook(handler, IdentifyMergeInstances.identifyEvent(externalId, email,
                "signup-" + UUID.randomUUID()));
    }

    private SandboxContact theOneUser() {
        List<SandboxContact> users = sandbox.contacts().stream().filter(SandboxContact::isUser)
                .filter(c -> externalId.equals(c.externalId()) || email.equalsIgnoreCase(c.email())).toList();
        assertThat(users).hasSize(1);
        return users.get(0);
    }
}
