package dev.contactfunctions.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.contactfunctions.deferral.InMemoryDeferralQueue;
import dev.contactfunctions.identity.IdentifyMergeConfig;
import dev.contactfunctions.identity.IdentifyMergeInstances;
import dev.contactfunctions.intercom.CallBudget;
import dev.contactfunctions.intercom.IntercomClient;
import dev.contactfunctions.ledger.Claim;
import dev.contactfunctions.ledger.DeliveryStart;
import dev.contactfunctions.ledger.Dynalite;
import dev.contactfunctions.ledger.DynamoDbLedger;
import dev.contactfunctions.ledger.Ledger;
import dev.contactfunctions.ledger.LedgerConfig;
import dev.contactfunctions.sandbox.Endpoint;
import dev.contactfunctions.sandbox.Fault;
import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.MutableClock;
import dev.contactfunctions.sandbox.SandboxContact;
import dev.contactfunctions.sandbox.SeedContact;
import dev.contactfunctions.testsupport.HandlerCalls;
import dev.contactfunctions.testsupport.InjectSandbox;
import dev.contactfunctions.testsupport.MutableClockSandboxResource;
import dev.contactfunctions.testsupport.WebhookAnswer;
import dev.contactfunctions.webhook.WebhookSecrets;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * identify-merge under real conditions, on the sandbox's clock: a user create that times out or answers 5xx and lands
 * in Intercom after the client gave up (before or after the retry that follows it), with search lagging 2 or 10
 * minutes; and an invocation killed after each step of the flow, then the sender's retry. Each scenario prints one
 * line of {@link ScenarioFigures}. Function instances are built by hand over one ledger (on dynalite) and one deferral
 * queue, as in {@code ReliabilitySuiteTest}; their clock is the sandbox's.
 */
@QuarkusTest
@TestProfile(ReliabilityProfile.class)
@WithTestResource(MutableClockSandboxResource.class)
class IdentifyAmbiguityScenariosTest {

    private static Dynalite dynalite;
    private static String table;

    @InjectSandbox
    IntercomSandbox sandbox;
    @Inject
    IntercomClient intercom;
    @Inject
    IdentifyMergeConfig identifyConfig;
    @Inject
    LedgerConfig ledgerConfig;
    @Inject
    WebhookSecrets secrets;
    @Inject
    CallBudget budget;

    private MutableClock clock;
    private Ledger ledger;
    private InMemoryDeferralQueue queue;

    @BeforeAll
    static void freshTable() {
        dynalite = Dynalite.shared();
        table = dynalite.createLedgerTable();
    }

    @BeforeEach
    void freshQueueAndLedger() {
        clock = (MutableClock) sandbox.clock();
        sandbox.setLatency(Duration.ZERO);
        sandbox.faults().clear();
        CircuitBreakerMaintenance.get().resetAll();
        if (!sandbox.customAttributeNames().contains("plan")) {
            sandbox.defineDataAttribute("plan", "string");
        }
        if (!sandbox.customAttributeNames().contains("first_source")) {
            sandbox.defineDataAttribute("first_source", "string");
        }
        queue = new InMemoryDeferralQueue();
        ledger = new DynamoDbLedger(dynalite.client(), table, clock, ledgerConfig.ttl());
    }

    // ---------------------------------------------------------------- ambiguous user creates

    /** What the client gets from a create that lands all the same. */
    enum Answer {
        TIMEOUT("timeout") {
            Fault fault() {
                return Fault.stall(Duration.ofMillis(ReliabilityProfile.READ_TIMEOUT_MS + 150));
            }
        },
        SERVER_ERROR("5xx") {
            Fault fault() {
                return Fault.status(503);
            }
        };

        final String label;

        Answer(String label) {
            this.label = label;
        }

        abstract Fault fault();
    }

    /** When the create the client gave up on lands, against the deferral queue's retry a minute later. */
    enum Landing {
        /** Before the retry, which finds it by external_id while search still hides it. */
        BEFORE_THE_RETRY(Duration.ofSeconds(30)),
        /** After the retry created the user: Intercom refuses a second user with that external_id. */
        AFTER_THE_RETRY(Duration.ofMinutes(3));

        final Duration after;

        Landing(Duration after) {
            this.after = after;
        }
    }

    @ParameterizedTest
    @EnumSource(Answer.class)
    void ambiguousUserCreateLag2m(Answer answer) {
        ambiguousCreate(answer, Duration.ofMinutes(2));
    }

    @ParameterizedTest
    @EnumSource(Answer.class)
    void ambiguousUserCreateLag10m(Answer answer) {
        ambiguousCreate(answer, Duration.ofMinutes(10));
    }

    private void ambiguousCreate(Answer answer, Duration lag) {
        sandbox.setSearchLag(lag);
        ScenarioFigures figures = new ScenarioFigures("ambiguous_create_user_" + answer.label + "_lag"
                + lag.toMinutes() + "m", lag.toSeconds());
        for (Landing landing : Landing.values()) {
            String where = answer + " / " + landing + " / lag " + lag;
            Person person = newPerson();
            // every create of this invocation (the client's retries too) is answered badly, and each lands later
            sandbox.faults().always(Endpoint.CREATE_CONTACT, Fault.landsAt(clock.instant().plus(landing.after),
                    answer.fault()));

            WebhookAnswer first = HandlerCalls.webhook(instance(ledger).handler(), person.event("signup"));

            assertThat(first.status()).as(where).isEqualTo(202);
            sandbox.faults().clear();
            CircuitBreakerMaintenance.get().resetAll();
            clock.advance(Duration.ofMinutes(1)); // the queue's first retry comes a minute later
            drain();
            clock.advance(Duration.ofMinutes(15)); // every late write has landed by now
            sandbox.landDueWrites();
            WebhookAnswer logIn = HandlerCalls.webhook(instance(ledger).handler(), person.event("login"));

            figures.attempted++;
            figures.accepted += first.status() == 202 || first.status() == 200 ? 1 : 0;
            List<SandboxContact> users = person.users();
            figures.delivered += delivered(person, "signup") ? 1 : 0;
            figures.duplicated += Math.max(0, users.size() - 1);
            figures.deadLettered += queue.deadLetters().size();
            assertThat(sandbox.pendingLateWrites()).as(where).isZero();
            assertThat(users).as("%s: one user for the person", where).hasSize(1);
            person.assertLeadsMergedInto(users.get(0), where);
            assertThat(logIn.status()).as(where).isEqualTo(200);
            assertThat(logIn.body().path("user_id").asText()).as(where).isEqualTo(users.get(0).id());
        }
        figures.print();
        assertThat(figures.duplicated).isZero();
        assertThat(figures.lost()).isZero();
    }

    // ---------------------------------------------------------------- killed invocations

    /**
     * Where an invocation dies (deadline, out of memory): nothing after this point runs. Each is a moment around the
     * ledger, between the Intercom calls: before or after the ledger operation on the named key.
     */
    enum KillPoint {
        /** The delivery is claimed (pending), nothing else done. */
        DELIVERY_CLAIMED,
        /** The person's external_id is claimed; the user not looked up yet. */
        IDENTITY_CLAIMED,
        /** The user is created in Intercom, not yet remembered in the ledger. */
        USER_CREATED,
        /** The user is remembered; the leads not merged. */
        USER_REMEMBERED,
        /** The person's email is claimed for the merges; none done. */
        EMAIL_CLAIMED,
        /** Every lead merged; the user not yet remembered for the email, the claim not released. */
        LEADS_MERGED,
        /** The answer recorded in the ledger, never sent. */
        OUTCOME_RECORDED;

        String scenario() {
            return "killed_invocation_identify_" + name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @ParameterizedTest
    @EnumSource(KillPoint.class)
    void killedInvocationThenTheSendersRetry(KillPoint point) throws Exception {
        Duration lag = Duration.ofMinutes(2);
        sandbox.setSearchLag(lag);
        ScenarioFigures figures = new ScenarioFigures(point.scenario(), lag.toSeconds());
        Person person = newPerson();
        String event = person.event("signup");
        KillingLedger killing = new KillingLedger(ledger, point);

        Thread invocation = new Thread(() -> HandlerCalls.webhook(instance(killing).handler(), event),
                "killed-" + point);
        invocation.setDaemon(true); // parked for good: a dead invocation never resumes
        invocation.start();
        assertThat(killing.killed.await(30, TimeUnit.SECONDS)).as("%s was reached", point).isTrue();

        // the sender saw no answer: it retries, then honours each Retry-After, at most three times in all
        WebhookAnswer answer = null;
        int tries = 0;
        while (tries < 3) {
            clock.advance(Duration.ofSeconds(5));
            answer = HandlerCalls.webhook(instance(ledger).handler(), event);
            tries++;
            if (answer.status() == 200 || answer.status() == 202) {
                break;
            }
            String retryAfter = answer.headers().get("Retry-After");
            assertThat(retryAfter).as("%s: a %d answer says when to retry", point, answer.status()).isNotNull();
            clock.advance(Duration.ofSeconds(Long.parseLong(retryAfter)));
        }
        clock.advance(Duration.ofMinutes(1));
        drain();

        figures.attempted = 1;
        figures.accepted = 1; // the dead invocation had taken it: the sender counts on its retries to complete it
        figures.delivered = delivered(person, "signup") ? 1 : 0;
        List<SandboxContact> users = person.users();
        figures.duplicated = Math.max(0, users.size() - 1);
        figures.deadLettered = queue.deadLetters().size();
        figures.print();
        assertThat(answer.status()).as("%s: the sender's retry is answered 200 after %d tries", point, tries)
                .isEqualTo(200);
        assertThat(users).as(point.toString()).hasSize(1);
        person.assertLeadsMergedInto(users.get(0), point.toString());
        assertThat(answer.body().path("user_id").asText()).isEqualTo(users.get(0).id());
        assertThat(figures.lost()).isZero();
    }

    /**
     * A {@code contact.user.created} notification whose invocation dies at {@code point}; Intercom sends it once more,
     * a minute after the failure (here at the very minute: API Gateway reported the dead invocation at once).
     */
    @ParameterizedTest
    @EnumSource(value = KillPoint.class, names = { "DELIVERY_CLAIMED", "EMAIL_CLAIMED", "LEADS_MERGED",
            "OUTCOME_RECORDED" })
    void killedNotificationThenIntercomsOneResend(KillPoint point) throws Exception {
        Duration lag = Duration.ofMinutes(2);
        sandbox.setSearchLag(lag);
        ScenarioFigures figures = new ScenarioFigures(
                point.scenario().replace("_identify_", "_notification_"), lag.toSeconds());
        Person person = newPerson();
        String userId = sandbox.addContact(SeedContact.user(person.externalId, person.email).attribute("plan",
                "enterprise"));
        String notificationId = "notif_" + UUID.randomUUID();
        String event = IdentifyMergeInstances.notificationEvent(notificationId, userId, person.externalId,
                person.email, clock.instant());
        KillingLedger killing = new KillingLedger(ledger, point);

        Thread invocation = new Thread(() -> HandlerCalls.webhook(instance(killing).handler(), event),
                "killed-notification-" + point);
        invocation.setDaemon(true);
        invocation.start();
        assertThat(killing.killed.await(30, TimeUnit.SECONDS)).as("%s was reached", point).isTrue();

        clock.advance(Duration.ofMinutes(1));
        WebhookAnswer resend = HandlerCalls.webhook(instance(ledger).handler(), event);
        drain();

        String ledgerKey = "intercom-notification:" + notificationId;
        figures.attempted = 1;
        figures.accepted = 1; // Intercom counts on it: it sends the notification twice at most
        figures.delivered = ledger.outcomeOf(ledgerKey).filter(json -> !json.contains("\"status\":\"queued\""))
                .isPresent() ? 1 : 0;
        List<SandboxContact> users = person.users();
        figures.duplicated = Math.max(0, users.size() - 1);
        figures.deadLettered = queue.deadLetters().size();
        figures.print();
        assertThat(resend.status()).as("%s: Intercom's re-send is acknowledged", point).isEqualTo(200);
        assertThat(users).as(point.toString()).singleElement().extracting(SandboxContact::id).isEqualTo(userId);
        person.assertLeadsMergedInto(users.get(0), point.toString());
        assertThat(figures.lost()).isZero();
    }

    /**
     * The shared ledger, except that the invocation using it dies at {@code point}: the calling thread parks for good
     * (so that no {@code finally} and no handler runs after it), and {@link #killed} opens.
     */
    static final class KillingLedger implements Ledger {
        final CountDownLatch killed = new CountDownLatch(1);
        private final Ledger ledger;
        private final KillPoint point;

        KillingLedger(Ledger ledger, KillPoint point) {
            this.ledger = ledger;
            this.point = point;
        }

        private void dieIf(KillPoint here) {
            if (here == point) {
                killed.countDown();
                while (true) {
                    LockSupport.park(this);
                }
            }
        }

        @Override
        public int countAttempt(String deliveryId, String receiveId) {
            return ledger.countAttempt(deliveryId, receiveId);
        }

        @Override
        public void uncountAttempt(String deliveryId, String receiveId) {
            ledger.uncountAttempt(deliveryId, receiveId);
        }

        @Override
        public DeliveryStart startDelivery(String deliveryId, Duration hold) {
            DeliveryStart start = ledger.startDelivery(deliveryId, hold);
            dieIf(start instanceof DeliveryStart.Started ? KillPoint.DELIVERY_CLAIMED : null);
            return start;
        }

        @Override
        public Claim claim(String identity, String owner, Duration hold) {
            Claim claim = ledger.claim(identity, owner, hold);
            if (claim instanceof Claim.Won) {
                dieIf(identity.startsWith("external_id:") ? KillPoint.IDENTITY_CLAIMED : KillPoint.EMAIL_CLAIMED);
            }
            return claim;
        }

        @Override
        public boolean remember(String identity, String owner, String contactId) {
            boolean user = identity.startsWith("external_id:");
            dieIf(user ? KillPoint.USER_CREATED : KillPoint.LEADS_MERGED);
            boolean remembered = ledger.remember(identity, owner, contactId);
            dieIf(user ? KillPoint.USER_REMEMBERED : null);
            return remembered;
        }

        @Override
        public void recordOutcome(String deliveryId, String outcomeJson) {
            ledger.recordOutcome(deliveryId, outcomeJson);
            dieIf(KillPoint.OUTCOME_RECORDED);
        }

        @Override
        public Optional<String> contactFor(String identity) {
            return ledger.contactFor(identity);
        }

        @Override
        public void forget(String identity, String owner) {
            ledger.forget(identity, owner);
        }

        @Override
        public boolean intendMerge(String identity, String owner, String leadId, String userId, Duration hold) {
            return ledger.intendMerge(identity, owner, leadId, userId, hold);
        }

        @Override
        public void release(String identity, String owner) {
            ledger.release(identity, owner);
        }

        @Override
        public Optional<String> outcomeOf(String deliveryId) {
            return ledger.outcomeOf(deliveryId);
        }

        @Override
        public DeliveryStart resumeDelivery(String deliveryId, Duration hold) {
            return ledger.resumeDelivery(deliveryId, hold);
        }

        @Override
        public void deferDelivery(String deliveryId, String outcomeJson) {
            ledger.deferDelivery(deliveryId, outcomeJson);
        }

        @Override
        public void abandonDelivery(String deliveryId) {
            ledger.abandonDelivery(deliveryId);
        }

        @Override
        public boolean intendCreate(String identity, String owner, Instant since, Duration hold) {
            return ledger.intendCreate(identity, owner, since, hold);
        }

    }

    // ---------------------------------------------------------------- helpers

    /** A person signing up: two leads of their email already in Intercom (and searchable), one with an attribute. */
    private final class Person {
        final String email = "ambiguous+" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        final String externalId = "ext-" + email;
        final String keyPrefix = "amb-" + UUID.randomUUID() + "-";
        final List<String> leads = new ArrayList<>();

        Person() {
            Instant now = clock.instant();
            leads.add(sandbox.addContact(SeedContact.lead(email).createdAt(now.minus(Duration.ofDays(3)))
                    .attribute("first_source", "google")));
            leads.add(sandbox.addContact(SeedContact.lead(email).createdAt(now.minus(Duration.ofDays(1)))));
        }

        String event(String delivery) {
            return IdentifyMergeInstances.identifyEvent(externalId, email, keyPrefix + delivery);
        }

        List<SandboxContact> users() {
            return sandbox.contacts().stream().filter(SandboxContact::isUser)
                    .filter(c -> externalId.equals(c.externalId()) || email.equalsIgnoreCase(c.email())).toList();
        }

        void assertLeadsMergedInto(SandboxContact user, String where) {
            assertThat(user.externalId()).as(where).isEqualTo(externalId);
            assertThat(leads).as("%s: every lead merged into the one user", where)
                    .allSatisfy(lead -> assertThat(sandbox.mergedInto(lead)).contains(user.id()));
            assertThat(sandbox.contact(user.id()).orElseThrow().customAttributes()).as(where)
                    .containsEntry("first_source", "google").containsEntry("plan", "enterprise");
        }
    }

    private Person newPerson() {
        return new Person();
    }

    private IdentifyMergeInstances.Instance instance(Ledger ledger) {
        return IdentifyMergeInstances.create(intercom, identifyConfig, ledger, ledgerConfig, queue, secrets, budget,
                clock);
    }

    /** Drains the queue as the event source mapping would, one new instance per batch. */
    private void drain() {
        for (int round = 0; round < InMemoryDeferralQueue.MAX_RECEIVES && !queue.waiting().isEmpty(); round++) {
            queue.drain(instance(ledger).consumer());
            clock.advance(Duration.ofMinutes(5)); // the visibility timeout before a failed try comes back
        }
    }

    private boolean delivered(Person person, String delivery) {
        return ledger.outcomeOf(IdentifyMergeInstances.ledgerKey(person.keyPrefix + delivery))
                .filter(json -> !json.contains("\"status\":\"queued\"")).isPresent();
    }
}
