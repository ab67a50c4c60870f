package dev.contactfunctions.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.deferral.DeferredDeliveryConsumer;
import dev.contactfunctions.deferral.InMemoryDeferralQueue;
import dev.contactfunctions.identity.IdentifyMergeConfig;
import dev.contactfunctions.identity.IdentifyMergeInstances;
import dev.contactfunctions.intercom.CallBudget;
import dev.contactfunctions.intercom.IntercomClient;
import dev.contactfunctions.leadcapture.LeadCaptureConfig;
import dev.contactfunctions.leadcapture.LeadCaptureInstances;
import dev.contactfunctions.ledger.Dynalite;
import dev.contactfunctions.ledger.DynamoDbLedger;
import dev.contactfunctions.ledger.InMemoryLedger;
import dev.contactfunctions.ledger.Ledger;
import dev.contactfunctions.ledger.LedgerConfig;
import dev.contactfunctions.sandbox.Endpoint;
import dev.contactfunctions.sandbox.Fault;
import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.SandboxContact;
import dev.contactfunctions.sandbox.SeedContact;
import dev.contactfunctions.testsupport.BadInput;
import dev.contactfunctions.testsupport.HandlerCalls;
import dev.contactfunctions.testsupport.InjectSandbox;
import dev.contactfunctions.testsupport.IntercomSandboxResource;
import dev.contactfunctions.testsupport.WebhookAnswer;
import dev.contactfunctions.webhook.WebhookSecrets;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * The reliability suite: several separate function instances, one shared ledger and one Intercom (the
 * sandbox), under concurrency, a whole outage and a fault at every step of every flow; and every bad input of every
 * route. Each scenario prints one line of figures ({@code reliability: scenario=... attempted=... accepted=...
 * delivered=... duplicated=... lost=...}) and the suite a total line.
 *
 * <p><b>Instances.</b> A function instance is built by hand, as a new Lambda instance would start: its own attribute,
 * tag and workspace caches, its own identity claims, delivery lifecycle, queue consumer and handler, and (with
 * dynalite) its own DynamoDB client. They share what separate Lambda instances share: the ledger table, the deferral
 * queue of their function and Intercom. They also share this application's {@link IntercomClient} bean (its circuit
 * breaker and rate-limit pacing), because the client's fault tolerance is built by CDI and one application cannot
 * hold several; nothing in the dedupe depends on it. Separate Quarkus applications per instance are not practical in
 * one test JVM.
 *
 * <p><b>Ledger.</b> The DynamoDB ledger on dynalite when it can be had ({@code DYNALITE_ENDPOINT}, which
 * {@code .ci/run} exports, or dynalite installed in {@code ~/.cache/dynalite}); else the in-memory ledger shared by
 * the instances. The printout says which. The deferral queue is the in-memory one (FIFO per person, deduplicated,
 * dead letters after 5 receives), drained by the instances' consumers as the SQS event source mapping would.
 */
@QuarkusTest
@TestProfile(ReliabilityProfile.class)
@WithTestResource(IntercomSandboxResource.class)
class ReliabilitySuiteTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Figures TOTAL = new Figures("total");
    private static Dynalite dynalite;
    private static String table;

    @InjectSandbox
    IntercomSandbox sandbox;
    @Inject
    IntercomClient intercom;
    @Inject
    LeadCaptureConfig leadConfig;
    @Inject
    IdentifyMergeConfig identifyConfig;
    @Inject
    LedgerConfig ledgerConfig;
    @Inject
    WebhookSecrets secrets;
    @Inject
    CallBudget budget;
    @Inject
    Clock clock;
    @Inject
    InMemoryLedger inMemoryLedger;

    private InMemoryDeferralQueue leadQueue;
    private InMemoryDeferralQueue identifyQueue;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeAll
    static void findDynalite() {
        dynalite = Dynalite.locate().orElse(null);
        table = dynalite == null ? null : dynalite.createLedgerTable();
    }

    @AfterAll
    static void printTotalAndStopDynalite() {
        TOTAL.print();
        if (dynalite != null) {
            dynalite.close();
        }
    }

    @BeforeEach
    void workspaceKnowsTheEventsAttributesAndTags() {
        sandbox.setSearchLag(Duration.ZERO);
        sandbox.setLatency(Duration.ZERO);
        sandbox.faults().clear();
        CircuitBreakerMaintenance.get().resetAll();
        List<String> defined = sandbox.customAttributeNames();
        Map<String, String> types = new java.util.LinkedHashMap<>();
        LeadCaptureInstances.eventAttributes().forEach(a -> types.put(a, LeadCaptureInstances.eventAttributeType(a)));
        types.put("plan", "string");
        types.put("first_source", "string");
        types.forEach((name, type) -> {
            if (!defined.contains(name)) {
                sandbox.defineDataAttribute(name, type);
            }
        });
        leadQueue = new InMemoryDeferralQueue();
        identifyQueue = new InMemoryDeferralQueue();
    }

    @AfterEach
    void closeTheInstancesDynamoDbClients() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        clients.clear();
        reader = null;
    }

    // ---------------------------------------------------------------- 1. concurrency

    @Test
    void fiftyConcurrentDeliveriesOfOneNewEmailThroughFiveInstancesMakeOneContact() throws Exception {
        sandbox.setSearchLag(Duration.ofMinutes(10)); // search never shows the new lead: only the ledger can dedupe
        String email = unique("race");
        List<LeadCaptureInstances.Instance> instances = leadInstances(5);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            keys.add("race-" + i + "-" + UUID.randomUUID());
        }
        List<String> events = keys.stream().map(key -> LeadCaptureInstances.event(email, key, b -> { })).toList();

        List<WebhookAnswer> answers = concurrently(50, i -> HandlerCalls.webhook(instances.get(i % 5).handler(),
                events.get(i)));
        drain(leadQueue, instances.stream().map(LeadCaptureInstances.Instance::consumer).toList());

        Figures figures = new Figures("concurrent_same_email");
        figures.attempted = 50;
        figures.accepted = answers.stream().filter(a -> a.status() == 200 || a.status() == 202).count();
        figures.delivered = keys.stream().filter(key -> done(LeadCaptureInstances.ledgerKey(key))).count();
        figures.duplicated = Math.max(0, sandbox.contactsWithEmail(email).size() - 1);
        figures.print();

        assertThat(answers).extracting(WebhookAnswer::status).isSubsetOf(200, 202);
        assertThat(sandbox.contactsWithEmail(email)).hasSize(1);
        String contact = sandbox.contactsWithEmail(email).get(0).id();
        assertThat(answers).filteredOn(a -> a.status() == 200)
                .allSatisfy(a -> assertThat(a.body().path("contact_id").asText()).isEqualTo(contact));
        assertThat(keys).allSatisfy(key -> assertThat(outcome(LeadCaptureInstances.ledgerKey(key))
                .path("contact_id").asText()).isEqualTo(contact));
        assertThat(figures.lost()).isZero();
        assertThat(figures.duplicated).isZero();
    }

    // ---------------------------------------------------------------- 2. a whole outage

    @Test
    void everyDeliveryAcceptedWhileIntercomIsDownIsQueuedAndDeliveredOnceWhenItIsBack() {
        List<LeadCaptureInstances.Instance> leads = leadInstances(3);
        List<IdentifyMergeInstances.Instance> identifies = identifyInstances(2);
        List<String> emails = new ArrayList<>();
        List<String> leadKeys = new ArrayList<>();
        List<String> identifyKeys = new ArrayList<>();
        List<WebhookAnswer> answers = new ArrayList<>();
        sandbox.faults().alwaysOnAny(Fault.status(503));

        for (int person = 0; person < 10; person++) {
            String email = unique("outage-" + person);
            emails.add(email);
            for (String utm : List.of("google", "linkedin")) {
                String key = "outage-lead-" + UUID.randomUUID();
                leadKeys.add(key);
                answers.add(HandlerCalls.webhook(leads.get(leadKeys.size() % 3).handler(),
                        LeadCaptureInstances.event(email, key, b -> b.put("utm_source", utm))));
            }
            if (person < 5) { // these people sign up too, while Intercom is still down
                String key = "outage-identify-" + UUID.randomUUID();
                identifyKeys.add(key);
                answers.add(HandlerCalls.webhook(identifies.get(person % 2).handler(),
                        IdentifyMergeInstances.identifyEvent("ext-" + email, email, key)));
            }
        }

        assertThat(answers).extracting(WebhookAnswer::status).containsOnly(202);
        assertThat(leadQueue.waiting()).hasSize(20);
        assertThat(identifyQueue.waiting()).hasSize(5);
        assertThat(leadKeys).allSatisfy(key -> assertThat(outcome(LeadCaptureInstances.ledgerKey(key))
                .path("status").asText()).isEqualTo("queued"));
        assertThat(emails).allSatisfy(email -> assertThat(sandbox.contactsWithEmail(email)).isEmpty());

        sandbox.faults().clear();
        // Intercom is back; each instance's breaker would close after its delay: the shared one is closed at once
        CircuitBreakerMaintenance.get().resetAll();
        int delivered = drain(leadQueue, leads.stream().map(LeadCaptureInstances.Instance::consumer).toList())
                + drain(identifyQueue, identifies.stream().map(IdentifyMergeInstances.Instance::consumer).toList());

        Figures figures = new Figures("intercom_down_then_back");
        figures.attempted = answers.size();
        figures.accepted = answers.stream().filter(a -> a.status() == 202).count();
        figures.delivered = leadKeys.stream().filter(key -> done(LeadCaptureInstances.ledgerKey(key))).count()
                + identifyKeys.stream().filter(key -> done(IdentifyMergeInstances.ledgerKey(key))).count();
        figures.duplicated = emails.stream().mapToLong(e -> Math.max(0, sandbox.contactsWithEmail(e).size() - 1)).sum();
        figures.deadLettered = leadQueue.deadLetters().size() + identifyQueue.deadLetters().size();
        figures.print();

        assertThat(delivered).as("each queued delivery processed exactly once").isEqualTo(25);
        assertThat(leadQueue.drain(leads.get(0).consumer())).isEqualTo(new InMemoryDeferralQueue.DrainResult(0, 0, 0));
        for (int person = 0; person < 10; person++) {
            List<SandboxContact> contacts = sandbox.contactsWithEmail(emails.get(person));
            assertThat(contacts).as(emails.get(person)).hasSize(1);
            SandboxContact contact = contacts.get(0);
            if (person < 5) {
                assertThat(contact.isUser()).isTrue();
                assertThat(contact.externalId()).isEqualTo("ext-" + emails.get(person));
            } else {
                assertThat(contact.isLead()).isTrue();
            }
            // queued in order per person: the later delivery's last touch wins, the first touch stays
            assertThat(contact.customAttributes()).containsEntry("utm_source", "linkedin")
                    .containsEntry("first_utm_source", "google");
        }
        assertThat(figures.lost()).isZero();
        assertThat(figures.duplicated).isZero();
        assertThat(figures.deadLettered).isZero();
    }

    // ---------------------------------------------------------------- 3. the fault matrix

    /** What goes wrong at a step, always, while the first attempt runs. */
    enum FaultKind {
        RATE_LIMIT_STORM(Fault.status(429)),
        SERVER_ERROR(Fault.status(500)),
        TIMEOUT(Fault.delay(Duration.ofMillis(ReliabilityProfile.READ_TIMEOUT_MS * 2L))),
        CONNECTION_RESET(Fault.dropConnection()),
        HTML_BODY(Fault.html(502, "<html><body><h1>502 Bad Gateway</h1></body></html>"));

        final Fault fault;

        FaultKind(Fault fault) {
            this.fault = fault;
        }
    }

    /** Each step of lead capture, with the flow that reaches it. */
    enum LeadStep {
        LIST_ATTRIBUTES(Endpoint.LIST_DATA_ATTRIBUTES), CREATE_ATTRIBUTE(Endpoint.CREATE_DATA_ATTRIBUTE),
        SEARCH(Endpoint.SEARCH_CONTACTS), CREATE_LEAD(Endpoint.CREATE_CONTACT), LIST_TAGS(Endpoint.LIST_TAGS),
        CREATE_TAG(Endpoint.CREATE_OR_UPDATE_TAG), TAG_CONTACT(Endpoint.TAG_CONTACT),
        UPDATE_KNOWN_LEAD(Endpoint.UPDATE_CONTACT), UNARCHIVE_CONFLICTING(Endpoint.UNARCHIVE_CONTACT),
        READ_REMEMBERED(Endpoint.GET_CONTACT);

        final Endpoint endpoint;

        LeadStep(Endpoint endpoint) {
            this.endpoint = endpoint;
        }
    }

    /** Each step of identify-merge (a new user, two leads of its email to merge), and of a notification. */
    enum IdentifyStep {
        FIND_BY_EXTERNAL_ID(Endpoint.FIND_BY_EXTERNAL_ID), SEARCH(Endpoint.SEARCH_CONTACTS),
        CREATE_USER(Endpoint.CREATE_CONTACT), UPDATE_USER(Endpoint.UPDATE_CONTACT),
        MERGE_HALF_DONE(Endpoint.MERGE_CONTACTS), NOTIFICATION_MERGE(Endpoint.MERGE_CONTACTS);

        final Endpoint endpoint;

        IdentifyStep(Endpoint endpoint) {
            this.endpoint = endpoint;
        }
    }

    @Test
    void aFaultAtAnyStepOfLeadCaptureIsQueuedThenDeliveredOnceWithoutADuplicate() {
        Figures figures = new Figures("fault_matrix_lead_capture");
        for (LeadStep step : LeadStep.values()) {
            for (FaultKind kind : FaultKind.values()) {
                leadCaptureCase(step, kind, figures);
            }
        }
        figures.print();
        assertThat(figures.lost()).isZero();
        assertThat(figures.duplicated).isZero();
        assertThat(figures.deadLettered).isZero();
    }

    private void leadCaptureCase(LeadStep step, FaultKind kind, Figures figures) {
        String where = step + " / " + kind;
        sandbox.faults().clear();
        CircuitBreakerMaintenance.get().resetAll();
        leadQueue.clear();
        LeadCaptureInstances.Instance instance = leadInstances(1).get(0); // cold: lists attributes and tags
        String email = unique("fault");
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String key = "fault-" + UUID.randomUUID();
        java.util.function.Consumer<ObjectNode> edit = b -> {
            ((ObjectNode) b.get("custom_attributes")).put("score_" + suffix, 7);
            b.withArray("tags").add("launch-" + suffix);
        };
        Runnable conflict = () -> { };
        switch (step) {
            case UPDATE_KNOWN_LEAD -> sandbox.addContact(SeedContact.lead(email).name("Known Lead"));
            case UNARCHIVE_CONFLICTING -> {
                String archived = sandbox.addContact(SeedContact.user("acct-" + suffix, email).archived());
                // Intercom answers a create with 409 naming the archived contact, every time it is asked
                conflict = () -> sandbox.faults().next(1, Endpoint.CREATE_CONTACT, Fault.error(409, "conflict",
                        "An archived contact matching those details already exists with id=" + archived));
            }
            case READ_REMEMBERED -> assertThat(HandlerCalls.webhook(instance.handler(),
                    LeadCaptureInstances.event(email, "first-" + UUID.randomUUID(), b -> { })).status())
                    .as(where).isEqualTo(200);
            default -> { }
        }
        conflict.run();
        long before = sandbox.stats().calls(step.endpoint);
        sandbox.faults().always(step.endpoint, kind.fault);

        WebhookAnswer answer = HandlerCalls.webhook(instance.handler(), LeadCaptureInstances.event(email, key, edit));

        awaitAnswered(step.endpoint, before);
        assertThat(sandbox.stats().calls(step.endpoint)).as("%s: the step was reached", where).isGreaterThan(before);
        assertThat(answer.status()).as(where).isEqualTo(202);
        sandbox.faults().clear();
        conflict.run();
        CircuitBreakerMaintenance.get().resetAll();
        drain(leadQueue, List.of(leadInstances(1).get(0).consumer()));

        figures.attempted++;
        figures.accepted += answer.status() == 202 || answer.status() == 200 ? 1 : 0;
        figures.delivered += done(LeadCaptureInstances.ledgerKey(key)) ? 1 : 0;
        List<SandboxContact> contacts = sandbox.contactsWithEmail(email);
        figures.duplicated += Math.max(0, contacts.size() - 1);
        figures.deadLettered += leadQueue.deadLetters().size();
        assertThat(contacts).as(where).hasSize(1);
        assertThat(contacts.get(0).tagNames()).as(where).contains("pricing-page", "spring-launch", "launch-" + suffix);
        assertThat(contacts.get(0).customAttributes()).as(where).containsEntry("score_" + suffix, 7L)
                .containsEntry("utm_source", "google");
        assertThat(outcome(LeadCaptureInstances.ledgerKey(key)).path("contact_id").asText()).as(where)
                .isEqualTo(contacts.get(0).id());
    }

    @Test
    void aFaultAtAnyStepOfIdentifyMergeIsQueuedThenCompletedWithNoMergeLeftHalfDone() {
        Figures figures = new Figures("fault_matrix_identify_merge");
        for (IdentifyStep step : IdentifyStep.values()) {
            for (FaultKind kind : FaultKind.values()) {
                identifyCase(step, kind, figures);
            }
        }
        figures.print();
        assertThat(figures.lost()).isZero();
        assertThat(figures.duplicated).isZero();
        assertThat(figures.deadLettered).isZero();
    }

    private void identifyCase(IdentifyStep step, FaultKind kind, Figures figures) {
        String where = step + " / " + kind;
        sandbox.faults().clear();
        CircuitBreakerMaintenance.get().resetAll();
        identifyQueue.clear();
        IdentifyMergeInstances.Instance instance = identifyInstances(1).get(0);
        String email = unique("merge");
        String externalId = "ext-" + email;
        List<String> leads = List.of(
                sandbox.addContact(SeedContact.lead(email).attribute("first_source", "google")),
                sandbox.addContact(SeedContact.lead(email)));
        String event;
        String key;
        if (step == IdentifyStep.NOTIFICATION_MERGE) {
            String user = sandbox.addContact(SeedContact.user(externalId, email));
            key = "notif_" + UUID.randomUUID();
            event = notification(key, user, externalId, email);
        } else {
            key = "merge-" + UUID.randomUUID();
            event = IdentifyMergeInstances.identifyEvent(externalId, email, key);
        }
        long before = sandbox.stats().calls(step.endpoint);
        if (step == IdentifyStep.MERGE_HALF_DONE || step == IdentifyStep.NOTIFICATION_MERGE) {
            sandbox.faults().next(1, step.endpoint, Fault.delay(Duration.ZERO)); // the first merge goes through
        }
        sandbox.faults().always(step.endpoint, kind.fault);

        WebhookAnswer answer = HandlerCalls.webhook(instance.handler(), event);

        awaitAnswered(step.endpoint, before);
        assertThat(sandbox.stats().calls(step.endpoint)).as("%s: the step was reached", where).isGreaterThan(before);
        boolean notification = step == IdentifyStep.NOTIFICATION_MERGE;
        // a merge not finished is never answered as done: 202 queued (a notification: 200 queued)
        assertThat(answer.status()).as(where).isEqualTo(notification ? 200 : 202);
        assertThat(answer.body().path("status").asText()).as(where).isEqualTo("queued");
        sandbox.faults().clear();
        CircuitBreakerMaintenance.get().resetAll();
        drain(identifyQueue, List.of(identifyInstances(1).get(0).consumer()));

        String ledgerKey = notification ? "intercom-notification:" + key : IdentifyMergeInstances.ledgerKey(key);
        figures.attempted++;
        figures.accepted += answer.status() == 200 || answer.status() == 202 ? 1 : 0;
        figures.delivered += done(ledgerKey) ? 1 : 0;
        List<SandboxContact> contacts = sandbox.contactsWithEmail(email);
        figures.duplicated += Math.max(0, contacts.size() - 1);
        figures.deadLettered += identifyQueue.deadLetters().size();
        assertThat(contacts).as(where).hasSize(1);
        SandboxContact user = contacts.get(0);
        assertThat(user.isUser()).as(where).isTrue();
        assertThat(user.externalId()).as(where).isEqualTo(externalId);
        assertThat(leads).as("%s: every lead merged into the one user", where)
                .allSatisfy(lead -> assertThat(sandbox.mergedInto(lead)).contains(user.id()));
        assertThat(user.customAttributes()).as(where).containsEntry("first_source", "google");
    }

    // ---------------------------------------------------------------- 4. bad input

    @Test
    void everyBadInputOfEveryRouteIsRefusedPreciselyAndWritesNothing() {
        List<BadInput> corpus = new ArrayList<>(LeadCaptureInstances.badInputs());
        corpus.addAll(IdentifyMergeInstances.badInputs());
        LeadCaptureInstances.Instance leads = leadInstances(1).get(0);
        IdentifyMergeInstances.Instance identify = identifyInstances(1).get(0);
        Map<Endpoint, Long> writesBefore = writes();
        int precise = 0;

        for (BadInput bad : corpus) {
            WebhookAnswer answer = HandlerCalls.webhook(
                    bad.route().endsWith("/webhooks/leads") ? leads.handler() : identify.handler(), bad.event().get());

            assertThat(answer.status()).as(bad.toString()).isEqualTo(bad.status());
            assertThat(answer.errorCode()).as(bad.toString()).isEqualTo(bad.code());
            assertThat(answer.errorField()).as(bad.toString()).isEqualTo(bad.field());
            precise++;
        }

        Map<Endpoint, Long> written = new EnumMap<>(Endpoint.class);
        writes().forEach((endpoint, count) -> {
            if (count > writesBefore.get(endpoint)) {
                written.put(endpoint, count - writesBefore.get(endpoint));
            }
        });
        long routes = corpus.stream().map(BadInput::route).distinct().count();
        System.out.printf("reliability: scenario=bad_input ledger=%s cases=%d routes=%d refused_precisely=%d"
                + " intercom_writes=%d queued=%d%n", ledgerName(), corpus.size(), routes, precise,
                written.values().stream().mapToLong(Long::longValue).sum(),
                leadQueue.waiting().size() + identifyQueue.waiting().size());
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(30);
        assertThat(routes).isEqualTo(3);
        assertThat(written).as("Intercom writes caused by bad input").isEmpty();
        assertThat(leadQueue.waiting()).isEmpty();
        assertThat(identifyQueue.waiting()).isEmpty();
    }

    // ---------------------------------------------------------------- instances, ledger, queue

    private List<LeadCaptureInstances.Instance> leadInstances(int count) {
        List<LeadCaptureInstances.Instance> instances = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            instances.add(LeadCaptureInstances.create(intercom, leadConfig, ledger(), ledgerConfig, leadQueue, secrets,
                    budget, clock));
        }
        return instances;
    }

    private List<IdentifyMergeInstances.Instance> identifyInstances(int count) {
        List<IdentifyMergeInstances.Instance> instances = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            instances.add(IdentifyMergeInstances.create(intercom, identifyConfig, ledger(), ledgerConfig,
                    identifyQueue, secrets, budget, clock));
        }
        return instances;
    }

    /** An instance's view of the shared ledger: its own DynamoDB client on the one table, or the in-memory ledger. */
    private Ledger ledger() {
        if (dynalite == null) {
            return inMemoryLedger;
        }
        DynamoDbLedger ledger = new DynamoDbLedger(dynalite.client(), table, clock, ledgerConfig.ttl());
        clients.add(ledger);
        return ledger;
    }

    private Ledger reader;

    private Ledger reader() {
        if (reader == null) {
            reader = ledger();
        }
        return reader;
    }

    private static String ledgerName() {
        return dynalite == null ? "in-memory (no dynalite: run .ci/run or install it, see ledger.Dynalite)"
                : "dynamodb (dynalite at " + dynalite.endpoint() + ")";
    }

    /**
     * Drains the queue as the event source mapping would, batch by batch, handing each batch to the next instance's
     * consumer, until nothing waits (at most the queue's receive limit of rounds). Answers the deliveries done.
     */
    private static int drain(InMemoryDeferralQueue queue, List<DeferredDeliveryConsumer> consumers) {
        int delivered = 0;
        for (int round = 0; round < InMemoryDeferralQueue.MAX_RECEIVES && !queue.waiting().isEmpty(); round++) {
            delivered += queue.drain(consumers.get(round % consumers.size())).delivered();
        }
        return delivered;
    }

    /** The answer the ledger holds for a delivery (done or queued); empty when none. */
    private JsonNode outcome(String ledgerKey) {
        return reader().outcomeOf(ledgerKey).map(json -> {
            try {
                return JSON.readTree(json);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }).orElse(JSON.createObjectNode());
    }

    /** Whether the ledger records the delivery as done (an answer that is not "queued"). */
    private boolean done(String ledgerKey) {
        JsonNode outcome = outcome(ledgerKey);
        return !outcome.isEmpty() && !"queued".equals(outcome.path("status").asText());
    }

    /**
     * A deferred delivery's first try comes a minute after it was queued (the queue's {@code DelaySeconds}): by then
     * Intercom has long answered the call the client gave up on (a timeout fault answers late, and counts then). Here
     * the drain waits for that answer, so that a create Intercom finished after the timeout is there to be found.
     */
    private void awaitAnswered(Endpoint endpoint, long before) {
        long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (sandbox.stats().calls(endpoint) <= before && System.nanoTime() < giveUpAt) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private Map<Endpoint, Long> writes() {
        Map<Endpoint, Long> writes = new EnumMap<>(Endpoint.class);
        for (Endpoint endpoint : Endpoint.values()) {
            if (!"GET".equals(endpoint.method()) && endpoint != Endpoint.SEARCH_CONTACTS) {
                writes.put(endpoint, sandbox.stats().calls(endpoint));
            }
        }
        return writes;
    }

    private static String unique(String name) {
        return name + "+" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    /** The committed Intercom notification about this user, under a notification id of its own. */
    private static String notification(String id, String userId, String externalId, String email) {
        return IdentifyMergeInstances.notificationEvent(id, userId, externalId, email);
    }

    private static <T> List<T> concurrently(int count, Function<Integer, T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                Callable<T> call = () -> {
                    start.await();
                    return task.apply(index);
                };
                futures.add(pool.submit(call));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The figures of one scenario: accepted deliveries that were never delivered are lost. */
    static final class Figures {
        final String scenario;
        long attempted;
        long accepted;
        long delivered;
        long duplicated;
        long deadLettered;

        Figures(String scenario) {
            this.scenario = scenario;
        }

        long lost() {
            return accepted - delivered;
        }

        void print() {
            if (this != TOTAL) {
                TOTAL.attempted += attempted;
                TOTAL.accepted += accepted;
                TOTAL.delivered += delivered;
                TOTAL.duplicated += duplicated;
                TOTAL.deadLettered += deadLettered;
            }
            System.out.printf("reliability: scenario=%s ledger=%s attempted=%d accepted=%d delivered=%d duplicated=%d"
                    + " lost=%d dead_lettered=%d%n", scenario, ledgerName(), attempted, accepted, delivered,
                    duplicated, lost(), deadLettered);
        }
    }
}
