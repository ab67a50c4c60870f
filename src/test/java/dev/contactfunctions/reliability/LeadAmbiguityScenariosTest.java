package dev.contactfunctions.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.deferral.DeferralQueue;
import dev.contactfunctions.deferral.DeferredDelivery;
import dev.contactfunctions.intercom.CallBudget;
import dev.contactfunctions.intercom.IntercomClient;
import dev.contactfunctions.leadcapture.LeadCaptureConfig;
import dev.contactfunctions.leadcapture.LeadCaptureInstances;
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
import dev.contactfunctions.testsupport.HandlerCalls;
import dev.contactfunctions.testsupport.InjectSandbox;
import dev.contactfunctions.testsupport.MutableClockSandboxResource;
import dev.contactfunctions.testsupport.WebhookAnswer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Lead capture when the outcome of a step is unknown, under real conditions: Intercom's search lags writes by
 * minutes (2 or 10 on the sandbox's clock), a create the client gave up on lands all the same (after it gave up,
 * and nothing waits for it), and Lambda kills an invocation at any step. The sandbox, the ledger (on dynalite) and every function
 * instance share one {@link MutableClock}: the tests move it instead of waiting. The
 * deferral queue is a plain list whose messages the test hands to an instance's consumer, one receive at a time.
 *
 * <p>A kill is played by parking the invocation's thread for good at the kill point (a hook in the ledger every
 * instance uses): nothing after that point runs, as when Lambda stops the process; the thread is only released, by an
 * error nothing catches, when the test ends.
 */
@QuarkusTest
@TestProfile(ReliabilityProfile.class)
@WithTestResource(MutableClockSandboxResource.class)
class LeadAmbiguityScenariosTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LAG_2M = Duration.ofMinutes(2);
    private static final Duration LAG_10M = Duration.ofMinutes(10);
    /** How long the consumer keeps receiving (one receive a minute) before the test gives up on a delivery. */
    private static final Duration RECEIVE_FOR = Duration.ofMinutes(30);
    private static Dynalite dynalite;
    private static String table;

    @InjectSandbox
    IntercomSandbox sandbox;
    @Inject
    IntercomClient intercom;
    @Inject
    LeadCaptureConfig leadConfig;
    @Inject
    LedgerConfig ledgerConfig;
    @Inject
    dev.contactfunctions.webhook.WebhookSecrets secrets;
    @Inject
    CallBudget budget;

    private MutableClock clock;
    private Ledger store;
    private KillableLedger ledger;
    private ListQueue queue;
    private final List<AutoCloseable> clients = new ArrayList<>();
    private final ExecutorService invocations = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "killable-invocation");
        thread.setDaemon(true);
        return thread;
    });

    @BeforeAll
    static void freshTable() {
        dynalite = Dynalite.shared();
        table = dynalite.createLedgerTable();
    }

    @BeforeEach
    void freshWorld() {
        clock = Fleet.startScenario(sandbox, LAG_2M);
        store = newLedger();
        ledger = new KillableLedger(store);
        queue = new ListQueue();
    }

    @AfterEach
    void releaseKilledInvocationsAndClients() throws Exception {
        invocations.shutdownNow();
        for (AutoCloseable client : clients) {
            client.close();
        }
    }

    // ---------------------------------------------------------------- ambiguous creates

    enum Ambiguity {
        /** No answer within the client's read timeout; the lead lands a second later on the sandbox's clock. */
        TIMEOUT("timeout"),
        /** A 504 from the gateway, while Intercom created the lead all the same. */
        SERVER_ERROR("5xx");

        final String label;

        Ambiguity(String label) {
            this.label = label;
        }

        Fault fault(Instant now) {
            return this == TIMEOUT
                    ? Fault.landsAt(now.plusSeconds(1), Fault.stall(Duration.ofMillis(ReliabilityProfile.READ_TIMEOUT_MS * 4L)))
                    : Fault.landsAnyway(Fault.status(504));
        }
    }

    @ParameterizedTest
    @EnumSource(Ambiguity.class)
    void ambiguousCreateWithTwoMinutesOfSearchLag(Ambiguity ambiguity) {
        ambiguousCreate(ambiguity, LAG_2M);
    }

    @ParameterizedTest
    @EnumSource(Ambiguity.class)
    void ambiguousCreateWithTenMinutesOfSearchLag(Ambiguity ambiguity) {
        ambiguousCreate(ambiguity, LAG_10M);
    }

    /**
     * The first delivery's create is ambiguous and the lead lands; a minute later the same person fills another form;
     * the queue brings both back every minute. Search shows the lead only after the lag: until then nothing may be
     * created, and both deliveries end on the one lead.
     */
    private void ambiguousCreate(Ambiguity ambiguity, Duration lag) {
        sandbox.setSearchLag(lag);
        ScenarioFigures figures = new ScenarioFigures(
                "ambiguous_create_lead_" + ambiguity.label + "_lag" + lag.toMinutes() + "m", lag.toSeconds());
        LeadCaptureInstances.Instance first = instance();
        LeadCaptureInstances.Instance second = instance();
        String email = unique("ambiguous");
        String firstKey = "ambiguous-a-" + UUID.randomUUID();
        String secondKey = "ambiguous-b-" + UUID.randomUUID();
        sandbox.faults().next(1, Endpoint.CREATE_CONTACT, ambiguity.fault(clock.instant()));
        long answeredCreatesBefore = sandbox.stats().calls(Endpoint.CREATE_CONTACT, 200);

        WebhookAnswer firstAnswer = HandlerCalls.webhook(first.handler(),
                LeadCaptureInstances.event(email, firstKey, b -> b.put("utm_source", "google")));
        clock.advance(Duration.ofMinutes(1));
        assertThat(sandbox.contactsWithEmail(email)).as("the create the client gave up on has landed").hasSize(1);
        WebhookAnswer secondAnswer = HandlerCalls.webhook(second.handler(),
                LeadCaptureInstances.event(email, secondKey, b -> b.put("utm_source", "linkedin")));
        receiveEveryMinute(List.of(first, second));

        figures.attempted = 2;
        figures.accepted = accepted(firstAnswer) + accepted(secondAnswer);
        figures.delivered = done(firstKey) + done(secondKey);
        figures.duplicated = duplicates(email);
        figures.print();

        assertThat(firstAnswer.status()).isEqualTo(202);
        assertThat(secondAnswer.status()).as("search cannot show the lead yet: the delivery waits").isEqualTo(202);
        assertThat(sandbox.stats().calls(Endpoint.CREATE_CONTACT, 200) - answeredCreatesBefore)
                .as("no create sent after the ambiguous one").isZero();
        List<SandboxContact> contacts = sandbox.contactsWithEmail(email);
        assertThat(contacts).as("one lead, whatever the search lag").hasSize(1);
        assertThat(contacts.get(0).customAttributes()).containsEntry("utm_source", "linkedin")
                .containsEntry("first_utm_source", "google");
        assertThat(contacts.get(0).tagNames()).contains("pricing-page", "spring-launch");
        assertThat(outcome(firstKey).path("contact_id").asText()).isEqualTo(contacts.get(0).id());
        assertThat(outcome(secondKey).path("contact_id").asText()).isEqualTo(contacts.get(0).id());
        assertThat(figures.lost()).isZero();
        assertThat(figures.duplicated).isZero();
    }

    // ---------------------------------------------------------------- killed invocations

    /** Where Lambda kills the first invocation of a new lead (or, for the update, of a known one). */
    enum KillPoint {
        AFTER_DELIVERY_CLAIM("startDelivery", true, result -> result instanceof DeliveryStart.Started, 1),
        AFTER_IDENTITY_CLAIM("claim", true, result -> result instanceof Claim.Won, 1),
        /** The create reached Intercom and landed; the connection broke before its answer came back. */
        AFTER_CREATE_SENT("release", false, result -> true, 0),
        AFTER_CREATE_ANSWERED("remember", false, result -> true, 0),
        /** A known lead (no tags in the event): the update is the last call to Intercom. */
        AFTER_UPDATE("recordOutcome", false, result -> true, 0),
        BEFORE_ANSWERING("recordOutcome", true, result -> true, 0);

        final String method;
        final boolean afterTheCall;
        final Predicate<Object> when;
        /** Creates the retry sends: one when the killed invocation sent none, else none. */
        final int createsAfterTheKill;

        KillPoint(String method, boolean afterTheCall, Predicate<Object> when, int createsAfterTheKill) {
            this.method = method;
            this.afterTheCall = afterTheCall;
            this.when = when;
            this.createsAfterTheKill = createsAfterTheKill;
        }
    }

    @ParameterizedTest
    @EnumSource(KillPoint.class)
    void killedInvocationThenTheSendersRetryCompletesTheDelivery(KillPoint point) throws Exception {
        ScenarioFigures figures = new ScenarioFigures(
                "killed_invocation_lead_" + point.name().toLowerCase(java.util.Locale.ROOT), LAG_2M.toSeconds());
        String email = unique("killed");
        String key = "killed-" + UUID.randomUUID();
        Consumer<ObjectNode> edit = b -> b.put("utm_source", "linkedin");
        if (point == KillPoint.AFTER_UPDATE) {
            Consumer<ObjectNode> untagged = b -> b.remove("tags");
            assertThat(HandlerCalls.webhook(instance().handler(), LeadCaptureInstances.event(email,
                    "known-" + UUID.randomUUID(), untagged)).status()).isEqualTo(200);
            edit = untagged.andThen(edit);
        }
        if (point == KillPoint.AFTER_CREATE_SENT) {
            sandbox.faults().next(1, Endpoint.CREATE_CONTACT, Fault.landsAnyway(Fault.dropConnection()));
        }
        String event = LeadCaptureInstances.event(email, key, edit);

        ledger.killAt(point);
        invocations.submit(() -> HandlerCalls.webhook(instance().handler(), event));
        ledger.awaitKill();
        if (point == KillPoint.AFTER_UPDATE) {
            assertThat(sandbox.contactsWithEmail(email)).singleElement()
                    .satisfies(c -> assertThat(c.customAttributes()).containsEntry("utm_source", "linkedin"));
        }

        long createsBefore = sandbox.stats().calls(Endpoint.CREATE_CONTACT, 200);
        List<WebhookAnswer> answers = retryUntilAnswered(instance(), event);
        WebhookAnswer answer = answers.get(answers.size() - 1);
        receiveEveryMinute(List.of(instance()));

        figures.attempted = 1;
        figures.accepted = accepted(answer);
        figures.delivered = done(key);
        figures.duplicated = duplicates(email);
        figures.print();

        assertThat(answer.status()).as("the sender's retry is answered 2xx").isIn(200, 202);
        assertThat(answers).as("at most one 409: the retry after its Retry-After takes over").hasSizeLessThanOrEqualTo(2);
        assertThat(sandbox.stats().calls(Endpoint.CREATE_CONTACT, 200) - createsBefore)
                .as("creates after the kill: a create that may have landed is never sent again")
                .isEqualTo(point.createsAfterTheKill);
        List<SandboxContact> contacts = sandbox.contactsWithEmail(email);
        assertThat(contacts).hasSize(1);
        assertThat(contacts.get(0).customAttributes()).containsEntry("utm_source", "linkedin");
        assertThat(outcome(key).path("contact_id").asText()).isEqualTo(contacts.get(0).id());
        assertThat(figures.lost()).isZero();
        assertThat(figures.duplicated).isZero();
    }

    @Test
    void inProgressHolderDiedThenTheRetryAfterRetryAfterTakesOver() throws Exception {
        ScenarioFigures figures = new ScenarioFigures("in_progress_holder_died", LAG_2M.toSeconds());
        String email = unique("holder");
        String key = "holder-" + UUID.randomUUID();
        String event = LeadCaptureInstances.event(email, key, b -> { });
        ledger.killAt(KillPoint.AFTER_IDENTITY_CLAIM);
        invocations.submit(() -> HandlerCalls.webhook(instance().handler(), event));
        ledger.awaitKill();

        // a concurrent duplicate while the holder still runs (it dies in there)
        WebhookAnswer duplicate = HandlerCalls.webhook(instance().handler(), event);
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.errorCode()).isEqualTo("delivery_in_progress");
        long retryAfter = Long.parseLong(duplicate.headers().get("Retry-After"));
        clock.advance(Duration.ofSeconds(retryAfter));
        WebhookAnswer retried = HandlerCalls.webhook(instance().handler(), event);

        figures.attempted = 1;
        figures.accepted = accepted(retried);
        figures.delivered = done(key);
        figures.duplicated = duplicates(email);
        figures.print();

        assertThat(retryAfter).as("Retry-After reaches past the holder's hold, and not much further")
                .isBetween(ledgerConfig.claimHold().toSeconds(), ledgerConfig.claimHold().toSeconds() + 2);
        assertThat(retried.status()).as("the retry after Retry-After takes over").isEqualTo(200);
        assertThat(sandbox.contactsWithEmail(email)).hasSize(1);
        assertThat(figures.lost()).isZero();
    }

    // ---------------------------------------------------------------- the sender, the queue

    /**
     * The sender's retries of a delivery whose invocation died, as answered: at once, then after each
     * {@code Retry-After} (on the shared clock) while it is answered 409, for up to two minutes.
     */
    private List<WebhookAnswer> retryUntilAnswered(LeadCaptureInstances.Instance instance, String event) {
        Instant giveUpAt = clock.instant().plus(Duration.ofMinutes(2));
        List<WebhookAnswer> answers = new ArrayList<>(List.of(HandlerCalls.webhook(instance.handler(), event)));
        while (answers.get(answers.size() - 1).status() == 409 && clock.instant().isBefore(giveUpAt)) {
            clock.advance(Duration.ofSeconds(Long.parseLong(answers.get(answers.size() - 1).headers().get("Retry-After"))));
            answers.add(HandlerCalls.webhook(instance.handler(), event));
        }
        return answers;
    }

    /** The consumers receive what waits on the queue once a minute (on the shared clock), until nothing waits. */
    private void receiveEveryMinute(List<LeadCaptureInstances.Instance> instances) {
        Instant giveUpAt = clock.instant().plus(RECEIVE_FOR);
        for (int receive = 0; !queue.isEmpty() && clock.instant().isBefore(giveUpAt); receive++) {
            clock.advance(Duration.ofMinutes(1));
            queue.receive(instances.get(receive % instances.size()));
        }
    }

    private LeadCaptureInstances.Instance instance() {
        return LeadCaptureInstances.create(intercom, leadConfig, ledger.proxy(), ledgerConfig, queue, secrets,
                budget, clock);
    }

    private Ledger newLedger() {
        DynamoDbLedger dynamo = new DynamoDbLedger(dynalite.client(), table, clock, ledgerConfig.ttl());
        clients.add(dynamo);
        return dynamo;
    }

    private JsonNode outcome(String key) {
        return store.outcomeOf(LeadCaptureInstances.ledgerKey(key)).map(json -> {
            try {
                return JSON.readTree(json);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }).orElse(JSON.createObjectNode());
    }

    private long done(String key) {
        JsonNode outcome = outcome(key);
        return outcome.has("contact_id") ? 1 : 0;
    }

    private long duplicates(String email) {
        return Math.max(0, sandbox.contactsWithEmail(email).size() - 1);
    }

    private static long accepted(WebhookAnswer answer) {
        return answer.status() == 200 || answer.status() == 202 ? 1 : 0;
    }

    private static String unique(String name) {
        return name + "+" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    /** The deferral queue as a list: the test hands its messages to a consumer, FIFO per person, as SQS would. */
    static final class ListQueue implements DeferralQueue {
        private final Map<String, DeferredDelivery> waiting = new LinkedHashMap<>();
        private final Map<String, Integer> receives = new HashMap<>();

        @Override
        public synchronized void enqueue(DeferredDelivery delivery) {
            waiting.putIfAbsent(delivery.deliveryId(), delivery);
        }

        synchronized boolean isEmpty() {
            return waiting.isEmpty();
        }

        /** One receive of everything waiting, as one batch; what the consumer does not report failed is deleted. */
        void receive(LeadCaptureInstances.Instance instance) {
            List<SQSEvent.SQSMessage> records = new ArrayList<>();
            synchronized (this) {
                waiting.values().forEach(delivery -> {
                    SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
                    message.setMessageId(delivery.deliveryId());
                    message.setBody(delivery.toJson());
                    message.setAttributes(Map.of("MessageGroupId", delivery.identity(), "ApproximateReceiveCount",
                            Integer.toString(receives.merge(delivery.deliveryId(), 1, Integer::sum))));
                    records.add(message);
                });
            }
            SQSEvent event = new SQSEvent();
            event.setRecords(records);
            SQSBatchResponse response = instance.consumer().consume(event);
            Set<String> failed = new HashSet<>();
            response.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
            synchronized (this) {
                records.stream().map(SQSEvent.SQSMessage::getMessageId).filter(id -> !failed.contains(id))
                        .forEach(waiting::remove);
            }
        }
    }

    /**
     * The ledger every instance of a test uses, with one kill point: the first invocation that reaches it parks for
     * good (Lambda stopped it there), so that nothing after it runs.
     */
    static final class KillableLedger implements InvocationHandler {
        private final Ledger target;
        private final AtomicReference<KillPoint> armed = new AtomicReference<>();
        private final CountDownLatch killed = new CountDownLatch(1);

        KillableLedger(Ledger target) {
            this.target = target;
        }

        Ledger proxy() {
            return (Ledger) Proxy.newProxyInstance(Ledger.class.getClassLoader(), new Class<?>[] { Ledger.class },
                    this);
        }

        void killAt(KillPoint point) {
            armed.set(point);
        }

        void awaitKill() throws InterruptedException {
            assertThat(killed.await(30, TimeUnit.SECONDS)).as("the invocation reached its kill point").isTrue();
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            KillPoint point = armed.get();
            boolean here = point != null && point.method.equals(method.getName());
            if (here && !point.afterTheCall) {
                die(point);
            }
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (here && point.afterTheCall && point.when.test(result)) {
                die(point);
            }
            return result;
        }

        private void die(KillPoint point) {
            if (!armed.compareAndSet(point, null)) {
                return;
            }
            killed.countDown();
            try {
                new CountDownLatch(1).await(); // parked until the test ends
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new Killed();
        }
    }

    /** What releases a parked invocation when the test ends: an error that no catch block of the functions takes. */
    static final class Killed extends Error {
        Killed() {
            super("invocation killed");
        }
    }
}
