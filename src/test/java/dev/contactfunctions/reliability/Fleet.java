package dev.contactfunctions.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.contactfunctions.deferral.DeferredDeliveryConsumer;
import dev.contactfunctions.identity.IdentifyMergeConfig;
import dev.contactfunctions.identity.IdentifyMergeInstances;
import dev.contactfunctions.intercom.CallBudget;
import dev.contactfunctions.intercom.IntercomClient;
import dev.contactfunctions.leadcapture.LeadCaptureConfig;
import dev.contactfunctions.leadcapture.LeadCaptureInstances;
import dev.contactfunctions.ledger.Dynalite;
import dev.contactfunctions.ledger.DynamoDbLedger;
import dev.contactfunctions.ledger.Ledger;
import dev.contactfunctions.ledger.LedgerConfig;
import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.MutableClock;
import dev.contactfunctions.webhook.WebhookSecrets;

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

    /** The template's {@code DelaySeconds}: a queued delivery's first try comes a minute later. */
    static final Duration QUEUE_DELAY = Duration.ofSeconds(60);
    /** The template's {@code VisibilityTimeout}: a failed try comes back five minutes later. */
    static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(300);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Dynalite dynalite;

    final ScenarioQueue leadQueue = ScenarioQueue.create("lead-capture");
    final ScenarioQueue identifyQueue = ScenarioQueue.create("identify-merge");

    private final IntercomClient intercom;
    private final LeadCaptureConfig leadConfig;
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
    }

    /** The DynamoDB-compatible server of this test JVM; the scenarios do not run on an in-memory stand-in. */
    private static synchronized Dynalite dynalite() {
        if (dynalite == null) {
            dynalite = Dynalite.locate().orElseThrow(() -> new IllegalStateException(Dynalite.HOW_TO_GET_IT));
        }
        return dynalite;
    }

    /** Defines in the workspace the custom attributes the committed events and the identify events write. */
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

    List<LeadCaptureInstances.Instance> leadInstances(int count) {
        List<LeadCaptureInstances.Instance> instances = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            instances.add(LeadCaptureInstances.create(intercom, leadConfig, ledger(), ledgerConfig, leadQueue, secrets,
                    budget, clock));
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
     * Lets the queue's delay pass, then hands the queued deliveries to the consumers as the event source mapping
     * would, letting the visibility timeout pass after each receive that left some undelivered, until none waits or
     * each has had its {@link ScenarioQueue#MAX_RECEIVES} receives (the receive after the last moves it to the dead
     * letters). Answers the deliveries done.
     */
    int deliverQueued(ScenarioQueue queue, List<DeferredDeliveryConsumer> consumers) {
        clock.advance(QUEUE_DELAY);
        int delivered = 0;
        for (int receive = 1; receive <= ScenarioQueue.MAX_RECEIVES + 1 && queue.waiting() > 0; receive++) {
            delivered += queue.receiveAll(consumers);
            if (queue.waiting() > 0) {
                clock.advance(VISIBILITY_TIMEOUT);
                queue.visibilityTimeoutPassed();
            }
        }
        return delivered;
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
        synchronized (clients) {
            for (AutoCloseable client : clients) {
                client.close();
            }
            clients.clear();
        }
    }
}
