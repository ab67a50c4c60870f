package dev.contactfunctions.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.deferral.InMemoryDeferralQueue;
import dev.contactfunctions.identity.IdentifyMergeConfig;
import dev.contactfunctions.identity.IdentifyMergeInstances;
import dev.contactfunctions.intercom.CallBudget;
import dev.contactfunctions.intercom.IntercomClient;
import dev.contactfunctions.leadcapture.LeadCaptureConfig;
import dev.contactfunctions.leadcapture.LeadCaptureInstances;
import dev.contactfunctions.ledger.Claim;
import dev.contactfunctions.ledger.Dynalite;
import dev.contactfunctions.ledger.DynamoDbLedger;
import dev.contactfunctions.ledger.IdentityLedger;
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
import dev.contactfunctions.testsupport.TestPseudonyms;
import dev.contactfunctions.testsupport.WebhookAnswer;
import dev.contactfunctions.webhook.WebhookSecrets;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * One person's traffic across lead capture and identify, each function on its own instances over one ledger on
 * dynalite, one Intercom sandbox whose search lags writes by two minutes, and each function's own deferral queue. The
 * sandbox, the ledger and every instance share one {@link MutableClock}: the tests move it instead of waiting.
 * Whatever the schedule, the person ends with one contact that is not merged, and every form answered 2xx has its
 * values on it: the form's custom attribute and its {@code utm_source}, the latest.
 */
@QuarkusTest
@TestProfile(ReliabilityProfile.class)
@WithTestResource(MutableClockSandboxResource.class)
class PersonAcrossFunctionsScenariosTest {

    private static final Duration LAG = Duration.ofMinutes(2);
    /** A custom attribute only the second form sets. */
    private static final String WEBINAR = "webinar";
    private static Dynalite dynalite;
    private static String table;

    @InjectSandbox
    IntercomSandbox sandbox;
    @Inject
    IntercomClient intercom;
    @Inject
    IdentifyMergeConfig identifyConfig;
    @Inject
    LeadCaptureConfig leadConfig;
    @Inject
    LedgerConfig ledgerConfig;
    @Inject
    WebhookSecrets secrets;
    @Inject
    CallBudget budget;

    private MutableClock clock;
    private final List<DynamoDbLedger> ledgers = new ArrayList<>();
    private InMemoryDeferralQueue leadQueue;
    private InMemoryDeferralQueue identifyQueue;
    private String email;
    private String externalId;
    private String keys;

    @BeforeAll
    static void freshTable() {
        dynalite = Dynalite.shared();
        table = dynalite.createLedgerTable();
    }

    @BeforeEach
    void freshPerson() {
        clock = Fleet.startScenario(sandbox, LAG);
        if (!sandbox.customAttributeNames().contains(WEBINAR)) {
            sandbox.defineDataAttribute(WEBINAR, "string");
        }
        leadQueue = new InMemoryDeferralQueue();
        identifyQueue = new InMemoryDeferralQueue();
        String person = UUID.randomUUID().toString().substring(0, 8);
        email = "person-" + person + "@example.com";
        externalId = "user-" + person;
        keys = "across-" + person + "-";
    }

    @AfterEach
    void closeLedgers() {
        sandbox.faults().clear();
        ledgers.forEach(DynamoDbLedger::close);
        ledgers.clear();
    }

    // ---------------------------------------------------------------- an email changed at sign-in, then a form

    @Test
    void emailChangedAtSignInThenAFormLandsOnTheUser() {
        String userId = sandbox.addContact(SeedContact.user(externalId, "old-" + email));

        emailChangedAtSignInThenAForm(userId);
    }

    /** Intercom's lookup by external_id misses the user, and the create answers 409 naming it, with its old email. */
    @Test
    void emailChangedAtSignInWhoseCreateAnswers409ThenAFormLandsOnTheUser() {
        String userId = sandbox.addContact(SeedContact.user(externalId, "old-" + email));
        sandbox.faults().next(1, Endpoint.FIND_BY_EXTERNAL_ID, Fault.status(404));

        emailChangedAtSignInThenAForm(userId);
    }

    private void emailChangedAtSignInThenAForm(String userId) {
        WebhookAnswer signIn = identify("sign-in");
        assertThat(signIn.status()).isEqualTo(200);
        assertThat(signIn.body().path("user_id").asText()).isEqualTo(userId);

        clock.advance(Duration.ofSeconds(30));
        WebhookAnswer form = form("form", "linkedin", "may-launch");
        drainBoth();

        assertThat(form.status()).isIn(200, 202);
        assertOneContact(userId, "form", "linkedin", "may-launch", "linkedin");
    }

    // ---------------------------------------------------------------- a form while identify merges the person's lead

    /**
     * The ledger knows lead L and search shows it (from before the second form's write). Identify signs the person up
     * and merges L; the second form arrives on another instance the moment identify has claimed the email.
     */
    @Test
    void aFormWhileIdentifyMergesThePersonsLeadLandsOnTheUser() throws Exception {
        assertThat(form("form-1", "google", null).status()).isEqualTo(200);
        String leadId = onlyContact().id();
        clock.advance(LAG.plusMinutes(1)); // search shows the lead as the first form left it

        SignUpAndForm answers = signUpWithASecondForm("claim", false);
        WebhookAnswer signUp = answers.signUp();
        WebhookAnswer form = answers.form();
        drainBoth();

        assertThat(signUp.status()).isEqualTo(200);
        assertThat(form.status()).isIn(200, 202);
        String userId = signUp.body().path("user_id").asText();
        assertThat(sandbox.mergedInto(leadId)).contains(userId);
        assertOneContact(userId, "form-2", "linkedin", "may-launch", "google");
    }

    // ---------------------------------------------------------------- a merge whose answer is lost, and a form

    /**
     * Intercom merges lead L into the new user, but no answer to the merge ever arrives: identify is deferred. A form
     * arrives meanwhile on another instance (L answers 404, and search cannot show the user yet); then identify's
     * retry comes from its queue.
     */
    @Test
    void aMergeWhoseAnswerIsLostAndAFormInThatWindowLandOnTheUser() {
        assertThat(form("form-1", "google", null).status()).isEqualTo(200);
        String leadId = onlyContact().id();
        sandbox.faults().next(1, Endpoint.MERGE_CONTACTS,
                Fault.landsAnyway(Fault.stall(Duration.ofMillis(ReliabilityProfile.READ_TIMEOUT_MS * 4L))));
        sandbox.faults().always(Endpoint.MERGE_CONTACTS,
                Fault.stall(Duration.ofMillis(ReliabilityProfile.READ_TIMEOUT_MS * 4L)));

        WebhookAnswer signUp = identify("sign-up");
        assertThat(signUp.status()).as("the merge's outcome is unknown: identify is deferred").isEqualTo(202);
        String userId = sandbox.mergedInto(leadId).orElseThrow(() -> new AssertionError("the merge landed"));
        sandbox.faults().clear();
        CircuitBreakerMaintenance.get().resetAll();

        clock.advance(Duration.ofSeconds(30));
        WebhookAnswer form = form("form-2", "linkedin", "may-launch");
        clock.advance(Duration.ofSeconds(30));
        drainBoth();

        assertThat(form.status()).isIn(200, 202);
        assertOneContact(userId, "form-2", "linkedin", "may-launch", "google");
        assertThat(identifyOutcomeDone("sign-up")).as("identify's retry completed").isTrue();
    }

    /**
     * The merge lands but its answer is lost; the client's retry of the merge answers 404 (merged). Between that and
     * identify naming the user for the email, a form arrives on another instance: the lead answers 404 there too, and
     * search cannot show the user yet.
     */
    @Test
    void aMergeWhoseAnswerIsLostAndAFormBeforeIdentifyNamesTheUserLandOnTheUser() throws Exception {
        assertThat(form("form-1", "google", null).status()).isEqualTo(200);
        String leadId = onlyContact().id();
        sandbox.faults().next(1, Endpoint.MERGE_CONTACTS,
                Fault.landsAnyway(Fault.stall(Duration.ofMillis(ReliabilityProfile.READ_TIMEOUT_MS * 4L))));

        SignUpAndForm answers = signUpWithASecondForm("remember", true);
        drainBoth();

        assertThat(answers.signUp().status()).isEqualTo(200);
        assertThat(answers.form().status()).isIn(200, 202);
        String userId = answers.signUp().body().path("user_id").asText();
        assertThat(sandbox.mergedInto(leadId)).contains(userId);
        assertOneContact(userId, "form-2", "linkedin", "may-launch", "google");
    }

    // ---------------------------------------------------------------- helpers

    private record SignUpAndForm(WebhookAnswer signUp, WebhookAnswer form) {
    }

    /**
     * The person signs up through identify, on a ledger that lets a second form run on another lead-capture instance
     * around identify's first {@code method} call on the person's email identity (before or after it), until that form
     * is done or polls for the claim another delivery holds (it was told twice that the claim is held).
     */
    private SignUpAndForm signUpWithASecondForm(String method, boolean beforeTheCall) throws Exception {
        String emailIdentity = IdentityLedger.email(TestPseudonyms.LOCAL, email);
        AtomicInteger heldAnswers = new AtomicInteger();
        AtomicBoolean started = new AtomicBoolean();
        CountDownLatch formWaitsOrIsDone = new CountDownLatch(1);
        Ledger formLedger = observed(ledger(), false, (name, args, result) -> {
            if (name.equals("claim") && result instanceof Claim.Held && heldAnswers.incrementAndGet() == 2) {
                formWaitsOrIsDone.countDown();
            }
        });
        CompletableFuture<WebhookAnswer> secondForm = new CompletableFuture<>();
        Ledger identifyLedger = observed(ledger(), beforeTheCall, (name, args, result) -> {
            if (name.equals(method) && args[0].equals(emailIdentity) && started.compareAndSet(false, true)) {
                CompletableFuture.runAsync(() -> secondForm.complete(HandlerCalls.webhook(leadInstance(formLedger)
                        .handler(), formEvent("form-2", "linkedin", "may-launch"))))
                        .whenComplete((done, failure) -> formWaitsOrIsDone.countDown());
                await(formWaitsOrIsDone);
            }
        });

        WebhookAnswer signUp = HandlerCalls.webhook(identifyInstance(identifyLedger).handler(),
                IdentifyMergeInstances.identifyEvent(externalId, email, keys + "sign-up"));
        return new SignUpAndForm(signUp, secondForm.get(30, TimeUnit.SECONDS));
    }

    private WebhookAnswer identify(String delivery) {
        return HandlerCalls.webhook(identifyInstance(ledger()).handler(),
                IdentifyMergeInstances.identifyEvent(externalId, email, keys + delivery));
    }

    private WebhookAnswer form(String delivery, String utmSource, String webinar) {
        return HandlerCalls.webhook(leadInstance(ledger()).handler(), formEvent(delivery, utmSource, webinar));
    }

    private String formEvent(String delivery, String utmSource, String webinar) {
        return LeadCaptureInstances.event(email, keys + delivery, body -> {
            body.put("utm_source", utmSource);
            body.remove("tags");
            if (webinar != null) {
                ((ObjectNode) body.get("custom_attributes")).put(WEBINAR, webinar);
            }
        });
    }

    /** A ledger client of its own over the shared table, as each Lambda instance has. */
    private DynamoDbLedger ledger() {
        DynamoDbLedger ledger = new DynamoDbLedger(dynalite.client(), table, clock, ledgerConfig.ttl());
        ledgers.add(ledger);
        return ledger;
    }

    private LeadCaptureInstances.Instance leadInstance(Ledger ledger) {
        return LeadCaptureInstances.create(intercom, leadConfig, ledger, ledgerConfig, leadQueue, secrets, budget,
                clock);
    }

    private IdentifyMergeInstances.Instance identifyInstance(Ledger ledger) {
        return IdentifyMergeInstances.create(intercom, identifyConfig, ledger, ledgerConfig, identifyQueue, secrets,
                budget, clock);
    }

    /** Both queues, a minute apart, as their event source mappings would, one new instance per batch. */
    private void drainBoth() {
        for (int round = 0; round < InMemoryDeferralQueue.MAX_RECEIVES
                && !(leadQueue.waiting().isEmpty() && identifyQueue.waiting().isEmpty()); round++) {
            clock.advance(Duration.ofMinutes(1));
            identifyQueue.drain(identifyInstance(ledger()).consumer());
            leadQueue.drain(leadInstance(ledger()).consumer());
        }
        assertThat(leadQueue.waiting()).as("lead capture's queue drained").isEmpty();
        assertThat(identifyQueue.waiting()).as("identify's queue drained").isEmpty();
        assertThat(leadQueue.deadLetters()).isEmpty();
        assertThat(identifyQueue.deadLetters()).isEmpty();
        clock.advance(Duration.ofMinutes(15));
        sandbox.landDueWrites();
    }

    private SandboxContact onlyContact() {
        List<SandboxContact> contacts = sandbox.contactsWithEmail(email);
        assertThat(contacts).hasSize(1);
        return contacts.get(0);
    }

    /**
     * The person has one contact left, {@code contactId}, with the values of the form answered last and the first
     * touch of the first.
     */
    private void assertOneContact(String contactId, String formDelivery, String utmSource, String webinar,
            String firstUtmSource) {
        List<SandboxContact> contacts = sandbox.contactsWithEmail(email);
        assertThat(contacts).as("one contact for the person, not merged").extracting(SandboxContact::id)
                .containsExactly(contactId);
        assertThat(contacts.get(0).isUser()).isTrue();
        assertThat(contacts.get(0).customAttributes()).as("the last form's values on the surviving contact")
                .containsEntry("utm_source", utmSource).containsEntry(WEBINAR, webinar)
                .containsEntry("first_utm_source", firstUtmSource);
        String recorded = ledgers.get(0).outcomeOf(LeadCaptureInstances.ledgerKey(keys + formDelivery)).orElseThrow();
        assertThat(recorded).as("the form's recorded outcome").contains("\"contact_id\":\"" + contactId + "\"");
        assertThat(ledgers.get(0).contactFor(IdentityLedger.email(TestPseudonyms.LOCAL, email)))
                .as("the ledger names the user for the email").contains(contactId);
    }

    private boolean identifyOutcomeDone(String delivery) {
        return ledgers.get(0).outcomeOf(IdentifyMergeInstances.ledgerKey(keys + delivery))
                .filter(json -> !json.contains("\"status\":\"queued\"")).isPresent();
    }

    /** A ledger call: its method's name, its arguments and (after it) its result. */
    @FunctionalInterface
    private interface Call {
        void seen(String method, Object[] args, Object result);
    }

    /** The ledger, telling {@code observer} of every call before it is made (no result yet) or after. */
    private static Ledger observed(Ledger ledger, boolean before, Call observer) {
        return (Ledger) Proxy.newProxyInstance(Ledger.class.getClassLoader(), new Class<?>[] { Ledger.class },
                (proxy, method, args) -> {
                    Object[] arguments = args == null ? new Object[0] : args;
                    if (before) {
                        observer.seen(method.getName(), arguments, null);
                    }
                    Object result;
                    try {
                        result = method.invoke(ledger, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (!before) {
                        observer.seen(method.getName(), arguments, result);
                    }
                    return result;
                });
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).as("the second form ran").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
