package dev.contactfunctions.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.identity.IdentifyMergeInstances;
import dev.contactfunctions.leadcapture.FormToolEvents;
import dev.contactfunctions.leadcapture.LeadCaptureInstances;
import dev.contactfunctions.sandbox.Endpoint;
import dev.contactfunctions.sandbox.Fault;
import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.SandboxContact;
import dev.contactfunctions.sandbox.SeedContact;
import dev.contactfunctions.testsupport.BadInput;
import dev.contactfunctions.testsupport.HandlerCalls;
import dev.contactfunctions.testsupport.InjectSandbox;
import dev.contactfunctions.testsupport.TickingClockSandboxResource;
import dev.contactfunctions.testsupport.WebhookAnswer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * The reliability suite: several separate function instances ({@link Fleet}), one shared ledger on dynalite, one
 * deferral queue per function and one Intercom (the sandbox), under concurrency, a whole outage and a fault at every
 * step of every flow; and every bad input of every route. Each scenario prints one line of figures in the fixed form
 * of {@link ScenarioFigures}; {@link ReliabilityTotal} prints the total after the run.
 *
 * <p><b>Real conditions.</b> Intercom's search lags every write by {@link #SEARCH_LAG} on the sandbox's clock, so a
 * retry never finds by search what an earlier try created. A queued delivery's first retry comes after the queue's
 * delay and each further one after its visibility timeout: the scenario advances the sandbox's clock by them, it never
 * sleeps. A call the client gave up on (a timeout) is still carried out by Intercom after the client gave up, and
 * nothing waits for it before the retry; only the counting, after the retry, waits for every call to have answered.
 */
@QuarkusTest
@TestProfile(ReliabilityProfile.class)
@WithTestResource(TickingClockSandboxResource.class)
class ReliabilitySuiteTest {

    /** How long a write stays out of search results: Intercom documents minutes; two is the least we assume. */
    static final Duration SEARCH_LAG = Duration.ofMinutes(2);
    private static final long LAG_S = SEARCH_LAG.toSeconds();

    @InjectSandbox
    IntercomSandbox sandbox;
    @Inject
    Fleet.Factory fleets;

    private Fleet fleet;

    @BeforeEach
    void realConditionsAndAWorkspaceThatKnowsTheEventsAttributes() {
        sandbox.setSearchLag(SEARCH_LAG);
        sandbox.faults().clear();
        CircuitBreakerMaintenance.get().resetAll();
        Fleet.defineEventAttributes(sandbox);
        fleet = fleets.on(sandbox.clock());
    }

    @AfterEach
    void closeTheInstancesDynamoDbClients() throws Exception {
        fleet.close();
    }

    // ---------------------------------------------------------------- 1. concurrency

    @Test
    void fiftyConcurrentDeliveriesOfOneNewEmailThroughFiveInstancesMakeOneContact() throws Exception {
        String email = unique("race");
        List<LeadCaptureInstances.Instance> instances = fleet.leadInstances(5);
        // the same person from /webhooks/leads and from each form tool's own webhook, in turn
        List<String> keys = new ArrayList<>();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String id = "race-" + i + "-" + UUID.randomUUID();
            String source = i % 4 == 0 ? null : FormToolEvents.SOURCES.get(i % 4 - 1);
            keys.add(source == null ? id : FormToolEvents.deliveryId(source, id));
            events.add(source == null ? LeadCaptureInstances.event(email, id, b -> { })
                    : FormToolEvents.event(source, email, id));
        }

        List<WebhookAnswer> answers = concurrently(50, i -> HandlerCalls.webhook(instances.get(i % 5).handler(),
                events.get(i)));
        fleet.deliverQueued(fleet.leadQueue, Fleet.leadConsumers(instances));

        ScenarioFigures figures = new ScenarioFigures("concurrent_same_email", LAG_S);
        figures.attempted = 50;
        figures.accepted = answers.stream().filter(a -> a.status() == 200 || a.status() == 202).count();
        figures.delivered = keys.stream().filter(key -> fleet.done(LeadCaptureInstances.ledgerKey(key))).count();
        figures.duplicated = duplicates(List.of(email));
        deadLetters(figures);
        figures.print();

        assertThat(answers).extracting(WebhookAnswer::status).isSubsetOf(200, 202);
        assertThat(sandbox.contactsWithEmail(email)).hasSize(1);
        String contact = sandbox.contactsWithEmail(email).get(0).id();
        assertThat(answers).filteredOn(a -> a.status() == 200)
                .allSatisfy(a -> assertThat(a.body().path("contact_id").asText()).isEqualTo(contact));
        assertThat(keys).allSatisfy(key -> assertThat(fleet.outcome(LeadCaptureInstances.ledgerKey(key))
                .path("contact_id").asText()).isEqualTo(contact));
        assertThat(figures.lost()).isZero();
        assertThat(figures.duplicated).isZero();
        assertThat(figures.deadLettered).isZero();
    }

    // ---------------------------------------------------------------- 2. a whole outage

    @Test
    void everyDeliveryAcceptedWhileIntercomIsDownIsQueuedAndDeliveredOnceWhenItIsBack() {
        List<LeadCaptureInstances.Instance> leads = fleet.leadInstances(3);
        List<IdentifyMergeInstances.Instance> identifies = fleet.identifyInstances(2);
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
        assertThat(fleet.leadQueue.waiting()).isEqualTo(20);
        assertThat(fleet.identifyQueue.waiting()).isEqualTo(5);
        assertThat(leadKeys).allSatisfy(key -> assertThat(fleet.outcome(LeadCaptureInstances.ledgerKey(key))
                .path("status").asText()).isEqualTo("queued"));
        assertThat(emails).allSatisfy(email -> assertThat(sandbox.contactsWithEmail(email)).isEmpty());

        sandbox.faults().clear();
        // Intercom is back; each instance's breaker would close after its delay: the shared one is closed at once
        CircuitBreakerMaintenance.get().resetAll();
        int delivered = fleet.deliverQueued(fleet.leadQueue, Fleet.leadConsumers(leads))
                + fleet.deliverQueued(fleet.identifyQueue, Fleet.identifyConsumers(identifies));

        ScenarioFigures figures = new ScenarioFigures("intercom_down_then_back", LAG_S);
        figures.attempted = answers.size();
        figures.accepted = answers.stream().filter(a -> a.status() == 202).count();
        figures.delivered = leadKeys.stream().filter(key -> fleet.done(LeadCaptureInstances.ledgerKey(key))).count()
                + identifyKeys.stream().filter(key -> fleet.done(IdentifyMergeInstances.ledgerKey(key))).count();
        figures.duplicated = duplicates(emails);
        deadLetters(figures);
        figures.print();

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(delivered).as("each queued delivery processed exactly once").isEqualTo(25);
        softly.assertThat(fleet.leadQueue.waiting() + fleet.identifyQueue.waiting()).as("still queued").isZero();
        for (int person = 0; person < 10; person++) {
            List<SandboxContact> contacts = sandbox.contactsWithEmail(emails.get(person));
            softly.assertThat(contacts).as(emails.get(person)).hasSize(1);
            if (contacts.isEmpty()) {
                continue;
            }
            SandboxContact contact = contacts.stream().filter(SandboxContact::isUser).findFirst()
                    .orElse(contacts.get(0));
            if (person < 5) {
                softly.assertThat(contact.isUser()).as("%s is a user", emails.get(person)).isTrue();
                softly.assertThat(contact.externalId()).isEqualTo("ext-" + emails.get(person));
            } else {
                softly.assertThat(contact.isLead()).isTrue();
            }
            // queued in order per person: the later delivery's last touch wins, the first touch stays
            softly.assertThat(contact.customAttributes()).as(emails.get(person)).containsEntry("utm_source", "linkedin")
                    .containsEntry("first_utm_source", "google");
        }
        softly.assertThat(figures.lost()).as("lost").isZero();
        softly.assertThat(figures.duplicated).as("duplicated").isZero();
        softly.assertThat(figures.deadLettered).as("dead-lettered").isZero();
        softly.assertAll();
    }

    // ---------------------------------------------------------------- 3. the fault matrix

    /** What goes wrong at a step, always, while the first attempt runs. */
    enum FaultKind {
        RATE_LIMIT_STORM(Fault.status(429)),
        SERVER_ERROR(Fault.status(500)),
        /** No answer within the client's read timeout; the request lands all the same a second later. */
        TIMEOUT(Fault.stall(Duration.ofMillis(ReliabilityProfile.READ_TIMEOUT_MS * 2L))),
        CONNECTION_RESET(Fault.dropConnection()),
        HTML_BODY(Fault.html(502, "<html><body><h1>502 Bad Gateway</h1></body></html>"));

        private final Fault fault;

        FaultKind(Fault fault) {
            this.fault = fault;
        }

        /** The fault as played from {@code now} on the sandbox's clock. */
        Fault at(Instant now) {
            return this == TIMEOUT ? Fault.landsAt(now.plusSeconds(1), fault) : fault;
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
        ScenarioFigures figures = new ScenarioFigures("fault_matrix_lead_capture", LAG_S);
        SoftAssertions softly = new SoftAssertions();
        for (LeadStep step : LeadStep.values()) {
            for (FaultKind kind : FaultKind.values()) {
                leadCaptureCase(step, kind, figures, softly);
            }
        }
        printAndAssertNothingLostOrDuplicated(figures, softly);
    }

    /** A fault matrix's end: its dead letters counted, its line printed, and every case's failures reported. */
    private void printAndAssertNothingLostOrDuplicated(ScenarioFigures figures, SoftAssertions softly) {
        deadLetters(figures);
        figures.print();
        softly.assertThat(figures.lost()).as("lost").isZero();
        softly.assertThat(figures.duplicated).as("duplicated").isZero();
        softly.assertThat(figures.deadLettered).as("dead-lettered").isZero();
        softly.assertAll();
    }

    private void leadCaptureCase(LeadStep step, FaultKind kind, ScenarioFigures figures, SoftAssertions softly) {
        String where = step + " / " + kind;
        sandbox.faults().clear();
        CircuitBreakerMaintenance.get().resetAll();
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        // an attribute and a tag the workspace does not have yet, which the deployment's forms may write
        fleet.allowInForms(List.of("score_" + suffix), List.of("launch-" + suffix));
        LeadCaptureInstances.Instance instance = fleet.leadInstances(1).get(0); // cold: lists attributes and tags
        String email = unique("fault");
        String key = "fault-" + UUID.randomUUID();
        Consumer<ObjectNode> edit = b -> {
            ((ObjectNode) b.get("custom_attributes")).put("score_" + suffix, 7);
            b.withArray("tags").add("launch-" + suffix);
        };
        Runnable conflict = () -> { };
        switch (step) {
            case UPDATE_KNOWN_LEAD -> {
                sandbox.addContact(SeedContact.lead(email).name("Known Lead"));
                fleet.clock().advance(SEARCH_LAG); // a lead known for long enough to be found
            }
            case UNARCHIVE_CONFLICTING -> {
                String archived = sandbox.addContact(SeedContact.user("acct-" + suffix, email).archived());
                // Intercom answers a create with 409 naming the archived contact, every time it is asked
                conflict = () -> sandbox.faults().next(1, Endpoint.CREATE_CONTACT, Fault.error(409, "conflict",
                        "An archived contact matching those details already exists with id=" + archived));
            }
            case READ_REMEMBERED -> softly.assertThat(HandlerCalls.webhook(instance.handler(),
                    LeadCaptureInstances.event(email, "first-" + UUID.randomUUID(), b -> { })).status())
                    .as(where).isEqualTo(200);
            default -> { }
        }
        conflict.run();
        long before = sandbox.stats().calls(step.endpoint);
        sandbox.faults().always(step.endpoint, kind.at(sandbox.clock().instant()));

        WebhookAnswer answer = HandlerCalls.webhook(instance.handler(), LeadCaptureInstances.event(email, key, edit));

        softly.assertThat(answer.status()).as(where).isEqualTo(202);
        sandbox.faults().clear();
        conflict.run();
        CircuitBreakerMaintenance.get().resetAll();
        fleet.deliverQueued(fleet.leadQueue, Fleet.leadConsumers(fleet.leadInstances(1)));

        Optional<SandboxContact> contact = countCase(figures, softly, where, answer,
                LeadCaptureInstances.ledgerKey(key), email, step.endpoint, before);
        if (contact.isEmpty()) {
            return;
        }
        SandboxContact lead = contact.get();
        softly.assertThat(lead.tagNames()).as(where)
                .contains("pricing-page", "spring-launch", "launch-" + suffix);
        softly.assertThat(lead.customAttributes()).as(where).containsEntry("score_" + suffix, 7L)
                .containsEntry("utm_source", "google");
        softly.assertThat(fleet.outcome(LeadCaptureInstances.ledgerKey(key)).path("contact_id").asText()).as(where)
                .isEqualTo(lead.id());
    }

    @Test
    void aFaultAtAnyStepOfIdentifyMergeIsQueuedThenCompletedWithNoMergeLeftHalfDone() {
        ScenarioFigures figures = new ScenarioFigures("fault_matrix_identify_merge", LAG_S);
        SoftAssertions softly = new SoftAssertions();
        for (IdentifyStep step : IdentifyStep.values()) {
            for (FaultKind kind : FaultKind.values()) {
                identifyCase(step, kind, figures, softly);
            }
        }
        printAndAssertNothingLostOrDuplicated(figures, softly);
    }

    private void identifyCase(IdentifyStep step, FaultKind kind, ScenarioFigures figures, SoftAssertions softly) {
        String where = step + " / " + kind;
        sandbox.faults().clear();
        CircuitBreakerMaintenance.get().resetAll();
        IdentifyMergeInstances.Instance instance = fleet.identifyInstances(1).get(0);
        String email = unique("merge");
        String externalId = "ext-" + email;
        List<String> leads = List.of(
                sandbox.addContact(SeedContact.lead(email).attribute("first_source", "google")),
                sandbox.addContact(SeedContact.lead(email)));
        String event;
        String key;
        boolean notification = step == IdentifyStep.NOTIFICATION_MERGE;
        if (notification) {
            String user = sandbox.addContact(SeedContact.user(externalId, email));
            key = "notif_" + UUID.randomUUID();
            event = IdentifyMergeInstances.notificationEvent(key, user, externalId, email, fleet.clock().instant());
        } else {
            key = "merge-" + UUID.randomUUID();
            event = IdentifyMergeInstances.identifyEvent(externalId, email, key);
        }
        fleet.clock().advance(SEARCH_LAG); // leads captured long enough ago to be found
        long before = sandbox.stats().calls(step.endpoint);
        if (step == IdentifyStep.MERGE_HALF_DONE || notification) {
            sandbox.faults().next(1, step.endpoint, Fault.delay(Duration.ZERO)); // the first merge goes through
        }
        sandbox.faults().always(step.endpoint, kind.at(sandbox.clock().instant()));

        WebhookAnswer answer = HandlerCalls.webhook(instance.handler(), event);

        // a merge not finished is never answered as done: 202 queued (a notification: 200 queued)
        softly.assertThat(answer.status()).as(where).isEqualTo(notification ? 200 : 202);
        softly.assertThat(answer.body().path("status").asText()).as(where).isEqualTo("queued");
        sandbox.faults().clear();
        CircuitBreakerMaintenance.get().resetAll();
        fleet.deliverQueued(fleet.identifyQueue, Fleet.identifyConsumers(fleet.identifyInstances(1)));

        String ledgerKey = notification ? "intercom-notification:" + key : IdentifyMergeInstances.ledgerKey(key);
        Optional<SandboxContact> contact = countCase(figures, softly, where, answer, ledgerKey, email, step.endpoint,
                before);
        if (contact.isEmpty()) {
            return;
        }
        SandboxContact user = contact.get();
        softly.assertThat(user.isUser()).as(where).isTrue();
        softly.assertThat(user.externalId()).as(where).isEqualTo(externalId);
        for (String lead : leads) {
            softly.assertThat(sandbox.mergedInto(lead)).as("%s: lead %s merged into the one user", where, lead)
                    .contains(user.id());
        }
        softly.assertThat(user.customAttributes()).as(where).containsEntry("first_source", "google");
    }

    /**
     * The replay window is Intercom's delivery, judged at receipt: a notification acknowledged as queued while fresh
     * is finished from the queue even when Intercom stays down for longer than the window.
     */
    @Test
    void aNotificationQueuedWhileFreshIsFinishedHoweverLongItWaitsOnTheQueue() {
        IdentifyMergeInstances.Instance instance = fleet.identifyInstances(1).get(0);
        String email = unique("late-notification");
        String externalId = "ext-" + email;
        String lead = sandbox.addContact(SeedContact.lead(email));
        String user = sandbox.addContact(SeedContact.user(externalId, email));
        fleet.clock().advance(SEARCH_LAG); // the lead captured long enough ago to be found
        String key = "notif_" + UUID.randomUUID();
        String event = IdentifyMergeInstances.notificationEvent(key, user, externalId, email, fleet.clock().instant());
        sandbox.faults().alwaysOnAny(Fault.status(503));

        WebhookAnswer answer = HandlerCalls.webhook(instance.handler(), event);
        fleet.clock().advance(Duration.ofHours(6)); // Intercom down for longer than the window
        sandbox.faults().clear();
        CircuitBreakerMaintenance.get().resetAll();
        fleet.deliverQueued(fleet.identifyQueue, Fleet.identifyConsumers(fleet.identifyInstances(1)));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("status").asText()).isEqualTo("queued");
        assertThat(fleet.outcome("intercom-notification:" + key).path("status").asText()).isEqualTo("processed");
        assertThat(sandbox.mergedInto(lead)).contains(user);
    }

    /**
     * Counts one case of a fault matrix and checks that the fault's step was reached; answers the person's contact
     * when there is exactly one.
     */
    private Optional<SandboxContact> countCase(ScenarioFigures figures, SoftAssertions softly, String where,
            WebhookAnswer answer, String ledgerKey, String email, Endpoint step, long callsBefore) {
        figures.attempted++;
        figures.accepted += answer.status() / 100 == 2 ? 1 : 0;
        figures.delivered += fleet.done(ledgerKey) ? 1 : 0;
        figures.duplicated += duplicates(List.of(email));
        List<SandboxContact> contacts = sandbox.contactsWithEmail(email);
        softly.assertThat(sandbox.stats().calls(step)).as("%s: the step was reached", where).isGreaterThan(callsBefore);
        softly.assertThat(contacts).as(where).hasSize(1);
        return contacts.size() == 1 ? Optional.of(contacts.get(0)) : Optional.empty();
    }

    // ---------------------------------------------------------------- 4. bad input

    @Test
    void everyBadInputOfEveryRouteIsRefusedPreciselyAndWritesNothing() {
        List<BadInput> corpus = new ArrayList<>(LeadCaptureInstances.badInputs());
        corpus.addAll(IdentifyMergeInstances.badInputs(fleet.clock()));
        LeadCaptureInstances.Instance leads = fleet.leadInstances(1).get(0);
        IdentifyMergeInstances.Instance identify = fleet.identifyInstances(1).get(0);
        Map<Endpoint, Long> writesBefore = sandbox.stats().writes();
        int precise = 0;
        long accepted = 0;

        for (BadInput bad : corpus) {
            WebhookAnswer answer = HandlerCalls.webhook(
                    bad.route().contains("/webhooks/leads") ? leads.handler() : identify.handler(), bad.event().get());

            assertThat(answer.status()).as(bad.toString()).isEqualTo(bad.status());
            assertThat(answer.errorCode()).as(bad.toString()).isEqualTo(bad.code());
            assertThat(answer.errorField()).as(bad.toString()).isEqualTo(bad.field());
            accepted += answer.status() / 100 == 2 ? 1 : 0;
            precise++;
        }

        Map<Endpoint, Long> written = new EnumMap<>(Endpoint.class);
        sandbox.stats().writes().forEach((endpoint, count) -> {
            if (count > writesBefore.get(endpoint)) {
                written.put(endpoint, count - writesBefore.get(endpoint));
            }
        });
        long routes = corpus.stream().map(BadInput::route).distinct().count();
        int queued = fleet.leadQueue.waiting() + fleet.identifyQueue.waiting();
        ScenarioFigures figures = new ScenarioFigures("bad_input", LAG_S);
        figures.attempted = corpus.size();
        figures.accepted = accepted;
        figures.extra("routes", routes).extra("refused_precisely", precise)
                .extra("intercom_writes", written.values().stream().mapToLong(Long::longValue).sum())
                .extra("queued", queued);
        figures.print();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(30);
        assertThat(routes).as("/webhooks/leads, identify, intercom and the three form tools' routes").isEqualTo(6);
        assertThat(accepted).isZero();
        assertThat(written).as("Intercom writes caused by bad input").isEmpty();
        assertThat(queued).isZero();
    }

    // ---------------------------------------------------------------- helpers

    /** Contacts beyond one per email, once Intercom has carried out every call it received. */
    private long duplicates(List<String> emails) {
        awaitIntercomSettled();
        return emails.stream().mapToLong(e -> Math.max(0, sandbox.contactsWithEmail(e).size() - 1)).sum();
    }

    private void deadLetters(ScenarioFigures figures) {
        fleet.leadQueue.deadLetterReceives().forEach(figures::deadLettered);
        fleet.identifyQueue.deadLetterReceives().forEach(figures::deadLettered);
    }

    /**
     * Waits (at most 5 s) until Intercom has answered every call it received: a call the client gave up on is carried
     * out later, and the counting must see what it did. Called after the retry, so the retry never waits for it.
     */
    private void awaitIntercomSettled() {
        long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (sandbox.stats().inFlight() > 0 && System.nanoTime() < giveUpAt) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        assertThat(sandbox.stats().inFlight()).as("Intercom calls still unanswered after 5 s").isZero();
    }


    private static String unique(String name) {
        return name + "+" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
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
}
