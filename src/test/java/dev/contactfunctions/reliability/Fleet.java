package dev.contactfunctions.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.contactfunctions.deferral.DeferralQueue;
import dev.contactfunctions.deferral.DeferredDeliveryConsumer;
import dev.contactfunctions.identity.IdentifyMergeConfig;
import dev.contactfunctions.infra.DeployedTemplate;
import dev.contactfunctions.identity.IdentifyMergeInstances;
import dev.contactfunctions.intercom.CallBudget;
import dev.contactfunctions.intercom.IntercomClient;
import dev.contactfunctions.invocation.InvocationDeadline;
import dev.contactfunctions.leadcapture.LeadCaptureConfig;
import dev.contactfunctions.leadcapture.LeadCaptureSettings;
import dev.contactfunctions.leadcapture.LeadCaptureInstances;
import dev.contactfunctions.ledger.Dynalite;
import dev.contactfunctions.ledger.DynamoDbLedger;
import dev.contactfunctions.ledger.Ledger;
import dev.contactfunctions.ledger.LedgerConfig;
import dev.contactfunctions.ledger.TestLedgers;
import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.MutableClock;
import dev.contactfunctions.testsupport.TestLambdaContext;
import dev.contactfunctions.webhook.WebhookSecrets;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * Separate function instances of lead capture and identify-merge, built by hand as new Lambda instances start: each
 * has its own attribute, tag and workspace caches, identity claims, delivery lifecycle, queue consumer, handler and
 * DynamoDB client. They share what separate Lambda instances share: one ledger table on dynalite (DynamoDB-compatible),
 * their function's deferral queue and Intercom (the sandbox). They also share this application's
 * {@link IntercomClient} bean (its circuit breaker and rate-limit pacing), because the client's fault tolerance is
 * built by CDI and one application cannot hold several; nothing in the dedupe depends on it.
 *
 * <p>Time: the instances read the sandbox's clock, a ticking {@link MutableClock}, so that Intercom, the ledger and
 * the functions agree on what "a minute later" is when a scenario advances it. The Intercom client, the call budget
 * and the signature check keep the system clock (they measure real waits).
 */
final class Fleet implements AutoCloseable {

    /** The template's function timeout: the deadline of each queue consumer's invocation. */
    static final Duration LAMBDA_DEADLINE = Duration.ofSeconds(DeployedTemplate.functionTimeoutSeconds());
    /** How many times {@link #deliverQueued} lets the clock run to the next return before it gives up. */
    private static final int MAX_ROUNDS = 40;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Dynalite dynalite;

    final ScenarioQueue leadQueue;
    final ScenarioQueue identifyQueue;

    private final IntercomClient intercom;
    private LeadCaptureConfig leadConfig;
    private final IdentifyMergeConfig identifyConfig;
    private final LedgerConfig ledgerConfig;
    private final WebhookSecrets secrets;
    private final CallBudget budget;
    private final MutableClock clock;
    private final String table;
    private final List<AutoCloseable> clients = new ArrayList<>();
    private Ledger reader;

    /** Builds fleets from this application's beans: inject it, and make a fleet per test on the sandbox's clock. */
    @ApplicationScoped
    static class Factory {

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

        /** A fleet on a fresh ledger table and fresh queues, whose instances read {@code sandboxClock}. */
        Fleet on(Clock sandboxClock) {
            return new Fleet(intercom, leadConfig, identifyConfig, ledgerConfig, secrets, budget, sandboxClock);
        }
    }

    private Fleet(IntercomClient intercom, LeadCaptureConfig leadConfig, IdentifyMergeConfig identifyConfig,
            LedgerConfig ledgerConfig, WebhookSecrets secrets, CallBudget budget, Clock sandboxClock) {
        this.intercom = intercom;
        this.leadConfig = leadConfig;
        this.identifyConfig = identifyConfig;
        this.ledgerConfig = ledgerConfig;
        this.secrets = secrets;
        this.budget = budget;
        if (!(sandboxClock instanceof MutableClock mutable)) {
            throw new IllegalStateException("the scenarios need the sandbox on a ticking MutableClock: "
                    + "@WithTestResource(TickingClockSandboxResource.class)");
        }
        this.clock = mutable;
        this.table = dynalite().createLedgerTable();
        this.leadQueue = ScenarioQueue.create("lead-capture", mutable);
        this.identifyQueue = ScenarioQueue.create("identify-merge", mutable);
    }

    /** The DynamoDB-compatible server of this test JVM; the scenarios do not run on an in-memory stand-in. */
    private static synchronized Dynalite dynalite() {
        if (dynalite == null) {
            dynalite = Dynalite.shared();
        }
        return dynalite;
    }

    /** Defines in the workspace the custom attributes the committed events and the identify events write. */
    /**
     * The sandbox as a scenario starts on it: the given search lag, no latency, no faults, closed circuit breakers and
     * the attributes lead capture writes; answers the sandbox's clock, which the scenario moves.
     */
    static MutableClock startScenario(IntercomSandbox sandbox, Duration searchLag) {
        sandbox.setSearchLag(searchLag);
        sandbox.setLatency(Duration.ZERO);
        sandbox.faults().clear();
        CircuitBreakerMaintenance.get().resetAll();
        defineEventAttributes(sandbox);
        return (MutableClock) sandbox.clock();
    }

    static void defineEventAttributes(IntercomSandbox sandbox) {
        List<String> defined = sandbox.customAttributeNames();
        Map<String, String> types = new LinkedHashMap<>();
        LeadCaptureInstances.eventAttributes().forEach(a -> types.put(a, LeadCaptureInstances.eventAttributeType(a)));
        types.put("plan", "string");
        types.put("first_source", "string");
        types.forEach((name, type) -> {
            if (!defined.contains(name)) {
                sandbox.defineDataAttribute(name, type);
            }
        });
    }

    MutableClock clock() {
        return clock;
    }

    /**
     * Lets the forms of lead-capture instances started from now on also write these attributes and attach these tags,
     * as a deployment that lists them in {@code lead-capture.allowed-attributes} and {@code allowed-tags}.
     */
    void allowInForms(Collection<String> attributes, Collection<String> tags) {
        leadConfig = LeadCaptureSettings.of(leadConfig).allowing(attributes, tags);
    }

    List<LeadCaptureInstances.Instance> leadInstances(int count) {
        List<LeadCaptureInstances.Instance> instances = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            instances.add(LeadCaptureInstances.create(intercom, leadConfig, ledger(), ledgerConfig, leadQueue, secrets,
                    budget, clock));
        }
        return instances;
    }

    /**
     * Lead-capture instances as {@link #leadInstances(int)}, whose identity claims poll a held claim through
     * {@code claimPollWait} (a {@link VirtualTime}'s sleep) instead of sleeping.
     */
    List<LeadCaptureInstances.Instance> leadInstances(int count, Consumer<Duration> claimPollWait) {
        List<LeadCaptureInstances.Instance> instances = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Ledger ledger = ledger();
            instances.add(LeadCaptureInstances.create(intercom, leadConfig, ledger, ledgerConfig, leadQueue, secrets,
                    budget, clock, TestLedgers.claims(ledger, ledgerConfig, clock, claimPollWait)));
        }
        return instances;
    }

    List<IdentifyMergeInstances.Instance> identifyInstances(int count) {
        List<IdentifyMergeInstances.Instance> instances = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            instances.add(IdentifyMergeInstances.create(intercom, identifyConfig, ledger(), ledgerConfig,
                    identifyQueue, secrets, budget, clock));
        }
        return instances;
    }

    /**
     * A lead-capture instance for the random schedules: over {@code queue} and {@code ledger} (one DynamoDB client
     * serves the many instances a run of schedules starts), with these ledger settings.
     */
    LeadCaptureInstances.Instance leadInstance(DeferralQueue queue, Ledger ledger, LedgerConfig settings) {
        return LeadCaptureInstances.create(intercom, leadConfig, ledger, settings, queue, secrets, budget, clock);
    }

    /** An identify-merge instance for the random schedules, as {@link #leadInstance}. */
    IdentifyMergeInstances.Instance identifyInstance(DeferralQueue queue, Ledger ledger, LedgerConfig settings) {
        return IdentifyMergeInstances.create(intercom, identifyConfig, ledger, settings, queue, secrets, budget,
                clock);
    }

    IntercomClient intercom() {
        return intercom;
    }

    CallBudget budget() {
        return budget;
    }

    LedgerConfig ledgerConfig() {
        return ledgerConfig;
    }

    /** A reader of the shared ledger, outside any instance. */
    Ledger ledgerReader() {
        return reader();
    }

    static List<DeferredDeliveryConsumer> leadConsumers(List<LeadCaptureInstances.Instance> instances) {
        return instances.stream().map(LeadCaptureInstances.Instance::consumer).toList();
    }

    static List<DeferredDeliveryConsumer> identifyConsumers(List<IdentifyMergeInstances.Instance> instances) {
        return instances.stream().map(IdentifyMergeInstances.Instance::consumer).toList();
    }

    /** An instance's view of the shared ledger: its own DynamoDB client on the one table. */
    private Ledger ledger() {
        DynamoDbLedger ledger = new DynamoDbLedger(dynalite().client(), table, clock, ledgerConfig.ttl());
        synchronized (clients) {
            clients.add(ledger);
        }
        return ledger;
    }

    /**
     * Hands the queued deliveries to the consumers as the event source mapping would, each batch one invocation with
     * the template's deadline, on the sandbox's clock: lets the time run to the next moment a message becomes visible
     * (the queue's delay, a visibility timeout, a not-before the consumer asked for) and delivers what is visible then,
     * until nothing waits. The production consumers count real attempts and dead-letter. Answers the deliveries done.
     */
    int deliverQueued(ScenarioQueue queue, List<DeferredDeliveryConsumer> consumers) {
        ElasticMqScenarioQueue scenarioQueue = (ElasticMqScenarioQueue) queue;
        List<Function<SQSEvent, SQSBatchResponse>> invocations = consumers.stream()
                .<Function<SQSEvent, SQSBatchResponse>>map(consumer -> event -> invoke(consumer, event)).toList();
        int delivered = 0;
        for (int round = 0; round < MAX_ROUNDS && queue.waiting() > 0; round++) {
            Instant next = scenarioQueue.nextReturn().orElse(clock.instant());
            if (next.isAfter(clock.instant())) {
                clock.advance(Duration.between(clock.instant(), next));
            }
            delivered += queue.receiveAll(invocations);
        }
        return delivered;
    }

    /** One Lambda invocation of a queue consumer: the batch under the template's deadline. */
    SQSBatchResponse invoke(DeferredDeliveryConsumer consumer, SQSEvent event) {
        try (InvocationDeadline.Scope invocation = budget.openFor(new TestLambdaContext("consumer", LAMBDA_DEADLINE))) {
            return consumer.consume(event);
        }
    }

    /** The answer the ledger holds for a delivery (done or queued); an empty object when none. */
    JsonNode outcome(String ledgerKey) {
        return reader().outcomeOf(ledgerKey).map(json -> {
            try {
                return JSON.readTree(json);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).orElse(JSON.createObjectNode());
    }

    /** Whether the ledger records the delivery as done (an answer that is not "queued"). */
    boolean done(String ledgerKey) {
        JsonNode outcome = outcome(ledgerKey);
        return !outcome.isEmpty() && !"queued".equals(outcome.path("status").asText());
    }

    private synchronized Ledger reader() {
        if (reader == null) {
            reader = ledger();
        }
        return reader;
    }

    @Override
    public void close() throws Exception {
        leadQueue.close();
        identifyQueue.close();
        synchronized (clients) {
            for (AutoCloseable client : clients) {
                client.close();
            }
            clients.clear();
        }
    }
}
