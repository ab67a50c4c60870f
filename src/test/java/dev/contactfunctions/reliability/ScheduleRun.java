package dev.contactfunctions.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import org.jboss.logmanager.ExtLogRecord;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.contactfunctions.audit.AuditFixMerges;
import dev.contactfunctions.deferral.DeferralQueue;
import dev.contactfunctions.deferral.DeferredDelivery;
import dev.contactfunctions.identity.IdentifyMergeInstances;
import dev.contactfunctions.intercom.CallBudget;
import dev.contactfunctions.leadcapture.FormToolEvents;
import dev.contactfunctions.invocation.InvocationDeadline;
import dev.contactfunctions.leadcapture.LeadCaptureInstances;
import dev.contactfunctions.ledger.IdentityLedger;
import dev.contactfunctions.ledger.Ledger;
import dev.contactfunctions.ledger.LedgerConfig;
import dev.contactfunctions.reliability.Invocation.Plan;
import dev.contactfunctions.reliability.Schedule.AuditFix;
import dev.contactfunctions.reliability.Schedule.Deliver;
import dev.contactfunctions.reliability.Schedule.Fail;
import dev.contactfunctions.reliability.Schedule.Form;
import dev.contactfunctions.reliability.Schedule.Identify;
import dev.contactfunctions.reliability.Schedule.Notify;
import dev.contactfunctions.reliability.Schedule.Resend;
import dev.contactfunctions.reliability.Schedule.Resume;
import dev.contactfunctions.reliability.Schedule.Step;
import dev.contactfunctions.reliability.Schedule.Wait;
import dev.contactfunctions.sandbox.Fault;
import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.MutableClock;
import dev.contactfunctions.sandbox.SandboxContact;
import dev.contactfunctions.sandbox.SeedContact;
import dev.contactfunctions.testsupport.HandlerCalls;
import dev.contactfunctions.testsupport.TestLambdaContext;
import dev.contactfunctions.testsupport.TestPseudonyms;
import dev.contactfunctions.testsupport.WebhookAnswer;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * Replays {@link Schedule}s against the functions as deployed: separate instances of lead capture and identify-merge
 * ({@link Fleet}) over one ledger on dynalite, each function's FIFO queue and dead-letter queue on ElasticMQ consumed by
 * the production consumer (the template's attempts, batch size, delay and visibility timeout, the consumer's own
 * returns and dead letters), the audit's fix-mode merge, and Intercom (the sandbox) with the schedule's search lag,
 * faults and writes that land after the client gave up. Time is the sandbox's clock: nothing waits in real time but
 * the functions' own short claim waits.
 *
 * <p>One world serves every schedule: each schedule has its own people (addresses and external ids no other schedule
 * uses) and its own pair of queues, so nothing needs resetting between them but the faults and the search lag.
 *
 * <p>After its steps, a schedule drains as production would: paused invocations go on (or die, when their Lambda
 * deadline has passed meanwhile), senders retry what got no answer (at most three times), the queues are consumed
 * until empty, and time runs past every hold and settle horizon. Then the invariants are checked ({@link #check}).
 */
final class ScheduleRun {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LAMBDA_DEADLINE = Fleet.LAMBDA_DEADLINE;
    /**
     * How long a delivery waits in real time for a person's busy identity before it is queued. The claim wait is the
     * only real-time wait of the functions; a short one sends more deliveries through the queue, never fewer.
     */
    private static final Duration CLAIM_WAIT = Duration.ofMillis(150);
    private static final int SENDER_RETRIES = 3;
    private static final int DRAIN_ROUNDS = 8;

    /** The figures of one schedule. */
    record Verdict(int deliveries, int accepted, List<String> violations) {
        boolean holds() {
            return violations.isEmpty();
        }
    }

    /** What every schedule shares: the sandbox, the instances, the ledger, and what was captured. */
    static final class World implements AutoCloseable {
        final IntercomSandbox sandbox;
        final MutableClock clock;
        final Fleet fleet;
        final SwitchedQueue leadQueue = new SwitchedQueue();
        final SwitchedQueue identifyQueue = new SwitchedQueue();
        /** Every instance's view of the ledger: one DynamoDB client, with the steps of {@link Invocation}. */
        private final Ledger ledger;
        private final LedgerConfig settings;
        Pool<LeadCaptureInstances.Instance> leads;
        Pool<IdentifyMergeInstances.Instance> identifies;
        /** The audit's own view of identify-merge (its fix mode merges through the same service). */
        IdentifyMergeInstances.Instance audit;
        final List<String> ledgerArguments = new CopyOnWriteArrayList<>();
        final List<String> logLines = new CopyOnWriteArrayList<>();
        /** The deliveries' ledger keys in the order the functions recorded them done. */
        final List<String> completions = new CopyOnWriteArrayList<>();
        private final Handler logs = new Handler() {
            @Override
            public void publish(LogRecord record) {
                String logger = record.getLoggerName() == null ? "" : record.getLoggerName();
                if (logger.startsWith("dev.contactfunctions") && !logger.startsWith("dev.contactfunctions.sandbox")) {
                    String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage()
                            : record.getMessage();
                    logLines.add(message == null ? "" : message);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };

        World(IntercomSandbox sandbox, Fleet fleet) {
            this.sandbox = sandbox;
            this.clock = fleet.clock();
            this.fleet = fleet;
            LedgerConfig settings = new ScheduleLedgerSettings(fleet.ledgerConfig());

            Invocation.LedgerWrites writes = (operation, args) -> {
                if ("recordOutcome".equals(operation) && args != null && args.length > 0) {
                    completions.add(String.valueOf(args[0]));
                }
                if (args != null) {
                    Arrays.stream(args).filter(Objects::nonNull).map(String::valueOf).forEach(ledgerArguments::add);
                }
            };
            this.ledger = Invocation.gated(fleet.ledgerReader(), writes);
            this.settings = settings;
            java.util.logging.Logger.getLogger("").addHandler(logs);
        }

        /**
         * Fresh instances for a schedule: cold caches every time, so that a schedule takes the same steps however many
         * ran before it, and replays alike on its own.
         */
        void freshInstances() {
            leads = new Pool<>(() -> fleet.leadInstance(leadQueue, ledger, settings));
            identifies = new Pool<>(() -> fleet.identifyInstance(identifyQueue, ledger, settings));
            audit = fleet.identifyInstance(identifyQueue, ledger, settings);
        }

        @Override
        public void close() throws Exception {
            java.util.logging.Logger.getLogger("").removeHandler(logs);
            fleet.close();
        }
    }

    /**
     * A function's instances: an invocation takes one that is idle, as Lambda gives each invocation an instance of its
     * own; a paused invocation keeps its instance until it goes on, a killed one takes it down with it (its thread may
     * hold the instance's locks for good), and Lambda starts a new instance when none is idle.
     */
    static final class Pool<T> {
        private final Supplier<T> start;
        private final List<T> idle = new ArrayList<>();

        Pool(Supplier<T> start) {
            this.start = start;
        }

        /** The {@code index}-th idle instance (a new one when fewer are idle), now busy. */
        synchronized T take(int index) {
            while (idle.size() <= index) {
                idle.add(start.get());
            }
            return idle.remove(index);
        }

        synchronized void giveBack(T instance) {
            idle.add(0, instance);
        }
    }

    /** The ledger settings as deployed, but for the short real-time claim wait ({@link #CLAIM_WAIT}). */
    private record ScheduleLedgerSettings(LedgerConfig deployed) implements LedgerConfig {
        @Override
        public Optional<String> table() {
            return deployed.table();
        }

        @Override
        public Optional<java.net.URI> endpoint() {
            return deployed.endpoint();
        }

        @Override
        public Duration ttl() {
            return deployed.ttl();
        }

        @Override
        public Duration claimHold() {
            return deployed.claimHold();
        }

        /** LedgerConfig's default, as deployed (the reliability profile shortens it for other scenarios). */
        @Override
        public Duration createSettle() {
            return Duration.ofMinutes(15);
        }

        @Override
        public Duration claimWait() {
            return CLAIM_WAIT;
        }
    }

    /** The function's queue for the schedule being replayed: each schedule gets a fresh pair on ElasticMQ. */
    static final class SwitchedQueue implements DeferralQueue {
        private volatile ElasticMqScenarioQueue current;

        void use(ElasticMqScenarioQueue queue) {
            current = queue;
        }

        ElasticMqScenarioQueue current() {
            return current;
        }

        @Override
        public void enqueue(DeferredDelivery delivery) {
            current.enqueue(delivery);
        }

        @Override
        public void returnAfter(SQSEvent.SQSMessage message, Duration delay) {
            current.returnAfter(message, delay);
        }

        @Override
        public boolean deadLetter(SQSEvent.SQSMessage message) {
            return current.deadLetter(message);
        }
    }

    private enum Kind {
        FORM, IDENTIFY, NOTIFY
    }

    /** One delivery the schedule sent (and maybe sent again), with what its sender was answered. */
    private static final class Delivery {
        final Kind kind;
        final int person;
        final String email;
        final String ledgerKey;
        final String event;
        final String utm;
        final List<Integer> statuses = new ArrayList<>();
        int acceptedAs = -1; // the order of its first 2xx answer among the schedule's deliveries
        boolean interrupted; // an invocation of it was paused or killed
        int sends;

        Delivery(Kind kind, int person, String email, String ledgerKey, String event, String utm) {
            this.kind = kind;
            this.person = person;
            this.email = email;
            this.ledgerKey = ledgerKey;
            this.event = event;
            this.utm = utm;
        }

        boolean accepted() {
            return acceptedAs >= 0;
        }

        boolean answered200() {
            return statuses.contains(200);
        }

        /** The sender tries again: no answer at all (the invocation died), a 5xx, a 429, a 409 "in progress". */
        boolean senderRetries() {
            if (accepted()) {
                return false;
            }
            if (statuses.size() < sends) {
                return true;
            }
            int last = statuses.get(statuses.size() - 1);
            return last >= 500 || last == 429 || last == 409;
        }
    }

    /** A person of the schedule: an external id, the first email, the email they may change to. */
    private record Person(String externalId, String firstEmail, String secondEmail) {
        List<String> secrets() {
            return List.of(externalId, firstEmail, secondEmail);
        }
    }

    /**
     * An invocation the schedule paused, and what to do with its answer when it goes on; {@code deadline}: when Lambda
     * ends it (its start on the sandbox's clock plus the template's timeout).
     */
    private record PausedInvocation(Invocation<?> invocation, java.util.function.Consumer<Object> onAnswer,
            Runnable freeInstance, Runnable onDeath, Instant deadline) {
    }

    private final World world;
    private final Schedule schedule;
    private final String runId;
    private final List<Person> people = new ArrayList<>();
    private final String[] currentEmail;
    private final List<Delivery> deliveries = new ArrayList<>();
    private final List<PausedInvocation> paused = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final List<String> queueAttributes = new ArrayList<>();
    private final List<String> identifyOrder = new ArrayList<>();
    private ElasticMqScenarioQueue leadQueue;
    private ElasticMqScenarioQueue identifyQueue;
    private int acceptedCount;
    private int logStart;
    private int ledgerStart;
    private int completionStart;
    /** The delivery being sent (null while a queue consumer runs). */
    private Delivery current;

    private ScheduleRun(World world, Schedule schedule, String runId) {
        this.world = world;
        this.schedule = schedule;
        this.runId = runId;
        this.currentEmail = new String[Schedule.PEOPLE];
        for (int p = 0; p < Schedule.PEOPLE; p++) {
            String base = "s" + runId + "-p" + p;
            people.add(new Person("ext-" + base, base + "@example.com", base + "-new@example.com"));
            currentEmail[p] = people.get(p).firstEmail();
        }
    }

    /** Replays {@code schedule} with people no other run uses ({@code runId} names them), drains, checks. */
    static Verdict replay(World world, Schedule schedule, String runId) {
        ScheduleRun run = new ScheduleRun(world, schedule, runId);
        try {
            return run.replay();
        } finally {
            run.leadQueue.close();
            run.identifyQueue.close();
        }
    }

    private Verdict replay() {
        IntercomSandbox sandbox = world.sandbox;
        sandbox.faults().clear();
        sandbox.landDueWrites();
        sandbox.setSearchLag(Duration.ofSeconds(schedule.searchLagSeconds()));
        CircuitBreakerMaintenance.get().resetAll();
        leadQueue = new ElasticMqScenarioQueue("sched-lead", world.clock);
        identifyQueue = new ElasticMqScenarioQueue("sched-identify", world.clock);
        world.leadQueue.use(leadQueue);
        world.identifyQueue.use(identifyQueue);
        world.freshInstances();
        logStart = world.logLines.size();
        ledgerStart = world.ledgerArguments.size();
        completionStart = world.completions.size();
        if (schedule.existingUser()) {
            Person person = people.get(0);
            sandbox.addContact(SeedContact.user(person.externalId(), person.firstEmail()).name("Existing User"));
            sandbox.indexNow();
        }
        for (Step step : schedule.steps()) {
            play(step);
        }
        drain();
        check();
        int accepted = (int) deliveries.stream().filter(Delivery::accepted).count();
        return new Verdict(deliveries.size(), accepted, List.copyOf(violations));
    }

    // ---------------------------------------------------------------- steps

    private void play(Step step) {
        if (step instanceof Form form) {
            String email = currentEmail[form.person()];
            String id = "form-" + runId + "-" + deliveries.size();
            String utm = "u" + deliveries.size();
            // /webhooks/leads and each form tool's own webhook in turn: one path after the mapping
            int route = deliveries.size() % (FormToolEvents.SOURCES.size() + 1);
            String source = route == 0 ? null : FormToolEvents.SOURCES.get(route - 1);
            String key = source == null ? id : FormToolEvents.deliveryId(source, id);
            String event = source == null ? LeadCaptureInstances.event(email, id, b -> b.put("utm_source", utm))
                    : FormToolEvents.of(source).email(email).responseId(id).utmSource(utm).toJson();
            Delivery delivery = new Delivery(Kind.FORM, form.person(), email, LeadCaptureInstances.ledgerKey(key),
                    event, utm);
            deliveries.add(delivery);
            send(delivery, form.instance(), form.plan());
        } else if (step instanceof Identify identify) {
            if (identify.changeEmail()) {
                currentEmail[identify.person()] = people.get(identify.person()).secondEmail();
            }
            Person person = people.get(identify.person());
            String email = currentEmail[identify.person()];
            String key = "identify-" + runId + "-" + deliveries.size();
            Delivery delivery = new Delivery(Kind.IDENTIFY, identify.person(), email,
                    IdentifyMergeInstances.ledgerKey(key),
                    IdentifyMergeInstances.identifyEvent(person.externalId(), email, key), null);
            deliveries.add(delivery);
            send(delivery, identify.instance(), identify.plan());
        } else if (step instanceof Notify notify) {
            Person person = people.get(notify.person());
            Optional<SandboxContact> user = world.sandbox.contacts().stream()
                    .filter(c -> person.externalId().equals(c.externalId())).findFirst();
            if (user.isEmpty()) {
                return;
            }
            String id = "notif_" + runId + "_" + deliveries.size();
            Delivery delivery = new Delivery(Kind.NOTIFY, notify.person(), user.get().email(),
                    "intercom-notification:" + id, IdentifyMergeInstances.notificationEvent(id, user.get().id(),
                            person.externalId(), user.get().email(), world.clock.instant()), null);
            deliveries.add(delivery);
            send(delivery, notify.instance(), notify.plan());
        } else if (step instanceof AuditFix audit) {
            auditFix(audit.person());
        } else if (step instanceof Deliver deliver) {
            consume(deliver.identifyQueue(), deliver.instance(), deliver.plan(), deliver.deleteLost());
        } else if (step instanceof Resume) {
            if (!paused.isEmpty()) {
                goOn(paused.remove(0));
            }
        } else if (step instanceof Resend resend) {
            if (resend.delivery() < deliveries.size()) {
                send(deliveries.get(resend.delivery()), resend.instance(), resend.plan());
            }
        } else if (step instanceof Wait wait) {
            world.clock.advance(Duration.ofSeconds(wait.seconds()));
        } else if (step instanceof Fail fail) {
            world.sandbox.faults().nextOnAny(fail.times(), fault(fail.failure()));
        }
    }

    private static Fault fault(Schedule.Failure failure) {
        return switch (failure) {
            case SERVER_ERROR -> Fault.status(500);
            case UNAVAILABLE -> Fault.status(503);
            case RATE_LIMITED -> Fault.status(429);
            case LANDS_BEHIND_504 -> Fault.landsAnyway(Fault.status(504));
            case LANDS_BEHIND_DROP -> Fault.landsAnyway(Fault.dropConnection());
        };
    }

    /** The delivery's sender sends it (again) to an instance of its function. */
    private void send(Delivery delivery, int instance, Plan plan) {
        delivery.sends++;
        current = delivery;
        if (delivery.kind == Kind.IDENTIFY) {
            identifyOrder.add(delivery.ledgerKey);
        }
        String function = delivery.kind == Kind.FORM ? "lead-capture" : "identify-merge";
        if (delivery.kind == Kind.FORM) {
            LeadCaptureInstances.Instance taken = world.leads.take(instance);
            Supplier<WebhookAnswer> work = () -> HandlerCalls.webhook(taken.handler(), delivery.event,
                    new TestLambdaContext(function, LAMBDA_DEADLINE));
            run(delivery.kind + "#" + deliveries.indexOf(delivery), plan, work, answer -> answered(delivery, answer),
                    () -> world.leads.giveBack(taken));
        } else {
            IdentifyMergeInstances.Instance taken = world.identifies.take(instance);
            Supplier<WebhookAnswer> work = () -> HandlerCalls.webhook(taken.handler(), delivery.event,
                    new TestLambdaContext(function, LAMBDA_DEADLINE));
            run(delivery.kind + "#" + deliveries.indexOf(delivery), plan, work, answer -> answered(delivery, answer),
                    () -> world.identifies.giveBack(taken));
        }
    }

    private void answered(Delivery delivery, WebhookAnswer answer) {
        delivery.statuses.add(answer.status());
        if (answer.status() >= 200 && answer.status() < 300 && !delivery.accepted()) {
            delivery.acceptedAs = acceptedCount++;
        }
        if (answer.status() >= 400 && answer.status() < 500 && answer.status() != 409 && answer.status() != 429) {
            violations.add("a valid delivery was refused: " + describe(delivery) + " answered " + answer.status()
                    + " " + answer.body());
        }
    }

    /** One invocation of a queue consumer with the batch visible now, as the event source mapping makes it. */
    private void consume(boolean identify, int instance, Plan plan, boolean deleteLost) {
        ElasticMqScenarioQueue queue = identify ? identifyQueue : leadQueue;
        ElasticMqScenarioQueue.Batch batch = queue.receive(ScenarioQueue.BATCH_SIZE);
        if (batch == null || batch.messages().isEmpty()) {
            return;
        }
        batch.messages().forEach(m -> queueAttributes.add(String.valueOf(m.attributesAsStrings())));
        SQSEvent event = batch.event();
        current = null;
        java.util.function.Consumer<SQSBatchResponse> settle = response -> queue.settle(batch, response, deleteLost);
        if (identify) {
            IdentifyMergeInstances.Instance taken = world.identifies.take(instance);
            runConsumer("identify-queue", plan, () -> world.fleet.invoke(taken.consumer(), event), settle,
                    () -> world.identifies.giveBack(taken));
        } else {
            LeadCaptureInstances.Instance taken = world.leads.take(instance);
            runConsumer("lead-queue", plan, () -> world.fleet.invoke(taken.consumer(), event), settle,
                    () -> world.leads.giveBack(taken));
        }
    }

    /** Runs an invocation on an instance taken for it; {@code freeInstance} gives the instance back once it answered. */
    private <T> void run(String name, Plan plan, Supplier<T> work, java.util.function.Consumer<T> onAnswer,
            Runnable freeInstance) {
        run(name, plan, work, onAnswer, freeInstance, () -> {
        });
    }

    /**
     * A queue consumer's invocation: {@code settle} is the event source mapping's part once it answered; when it dies
     * instead, the mapping gets no answer, so the whole batch comes back after the visibility timeout.
     */
    private void runConsumer(String name, Plan plan, Supplier<SQSBatchResponse> work,
            java.util.function.Consumer<SQSBatchResponse> settle, Runnable freeInstance) {
        run(name, plan, work, settle, freeInstance, () -> settle.accept(null));
    }

    /** As above; {@code onDeath} runs when the invocation dies instead of answering. */
    @SuppressWarnings("unchecked")
    private <T> void run(String name, Plan plan, Supplier<T> work, java.util.function.Consumer<T> onAnswer,
            Runnable freeInstance, Runnable onDeath) {
        Instant deadline = world.clock.instant().plus(LAMBDA_DEADLINE);
        Invocation<T> invocation = Invocation.start(name, plan, work);
        if (!(invocation.state() instanceof Invocation.Answered) && current != null) {
            current.interrupted = true;
        }
        settle(new PausedInvocation(invocation, (java.util.function.Consumer<Object>) onAnswer, freeInstance, onDeath,
                deadline));
    }

    private void settle(PausedInvocation running) {
        Invocation.State<?> state = running.invocation().state();
        if (state instanceof Invocation.Paused) {
            paused.add(running);
            return;
        }
        if (state instanceof Invocation.Answered<?> answered) {
            running.freeInstance().run();
            running.onAnswer().accept(answered.answer());
        } else if (state instanceof Invocation.Failed<?> failed) {
            running.freeInstance().run();
            violations.add("an invocation threw instead of answering: " + failed.error());
        }
        if (state instanceof Invocation.Killed<?>) {
            running.onDeath().run(); // no answer, and its instance is gone; the sender or the queue tries again
        }
    }

    /**
     * A paused invocation goes on, unless its deadline has passed meanwhile: Lambda has ended it then, so it is killed
     * where it stands (its claims' holds, longer than the deadline, are what keeps a live holder safe; an invocation
     * that went on past its deadline would write under a claim another delivery has taken over since).
     */
    private void goOn(PausedInvocation invocation) {
        if (world.clock.instant().isBefore(invocation.deadline())) {
            invocation.invocation().resume();
        } else {
            invocation.invocation().kill();
        }
        settle(invocation);
    }

    /** The audit in fix mode: a lead that shares the person's user's email is merged into the user. */
    private void auditFix(int person) {
        String externalId = people.get(person).externalId();
        List<SandboxContact> contacts = world.sandbox.contacts();
        Optional<SandboxContact> user = contacts.stream().filter(c -> externalId.equals(c.externalId())).findFirst();
        if (user.isEmpty() || user.get().email() == null) {
            return;
        }
        contacts.stream().filter(c -> c.isLead() && user.get().email().equalsIgnoreCase(c.email())).findFirst()
                .ifPresent(lead -> {
                    try (InvocationDeadline.Scope invocation = world.fleet.budget().openFor(
                            new TestLambdaContext("segment-audit", LAMBDA_DEADLINE))) {
                        AuditFixMerges.merge(world.fleet.intercom(), world.audit.service(),
                                world.fleet.budget(), lead.id(), user.get().id());
                    } catch (RuntimeException e) {
                        // the audit reports a failed merge and goes on; the next audit tries again
                    }
                });
    }

    // ---------------------------------------------------------------- drain

    private void drain() {
        world.sandbox.faults().clear();
        while (!paused.isEmpty()) {
            goOn(paused.remove(0));
        }
        for (int round = 0; round < DRAIN_ROUNDS; round++) {
            boolean retried = false;
            for (Delivery delivery : List.copyOf(deliveries)) {
                if (delivery.senderRetries() && delivery.sends <= SENDER_RETRIES) {
                    send(delivery, 0, Plan.NONE);
                    retried = true;
                }
            }
            int waiting = deliverAll(leadQueue, false) + deliverAll(identifyQueue, true);
            if (!retried && waiting == 0) {
                break;
            }
            // past every claim hold, settle horizon and queue return: what is left can go on now
            Instant next = world.clock.instant().plus(Duration.ofMinutes(16));
            world.clock.advance(Duration.between(world.clock.instant(), next));
            CircuitBreakerMaintenance.get().resetAll();
        }
        world.sandbox.landDueWrites();
    }

    /** Consumes the queue as its event source mapping would until nothing waits; answers what still waits. */
    private int deliverAll(ElasticMqScenarioQueue queue, boolean identify) {
        for (int receive = 0; receive < 60; receive++) {
            if (queue.waiting() == 0) {
                return 0;
            }
            Optional<Instant> next = queue.nextReturn();
            if (next.isPresent() && next.get().isAfter(world.clock.instant())) {
                ElasticMqScenarioQueue.Batch batch = queue.receive(ScenarioQueue.BATCH_SIZE);
                if (batch == null) {
                    world.clock.advance(Duration.between(world.clock.instant(), next.get()));
                } else {
                    settleNow(queue, identify, batch);
                }
                continue;
            }
            ElasticMqScenarioQueue.Batch batch = queue.receive(ScenarioQueue.BATCH_SIZE);
            if (batch != null) {
                settleNow(queue, identify, batch);
            }
        }
        return queue.waiting();
    }

    private void settleNow(ElasticMqScenarioQueue queue, boolean identify, ElasticMqScenarioQueue.Batch batch) {
        if (batch.messages().isEmpty()) {
            return;
        }
        batch.messages().forEach(m -> queueAttributes.add(String.valueOf(m.attributesAsStrings())));
        current = null;
        java.util.function.Consumer<SQSBatchResponse> settle = response -> queue.settle(batch, response, false);
        if (identify) {
            IdentifyMergeInstances.Instance taken = world.identifies.take(0);
            runConsumer("identify-queue", Plan.NONE, () -> world.fleet.invoke(taken.consumer(), batch.event()), settle,
                    () -> world.identifies.giveBack(taken));
        } else {
            LeadCaptureInstances.Instance taken = world.leads.take(0);
            runConsumer("lead-queue", Plan.NONE, () -> world.fleet.invoke(taken.consumer(), batch.event()), settle,
                    () -> world.leads.giveBack(taken));
        }
    }

    // ---------------------------------------------------------------- invariants

    private void check() {
        Ledger ledger = world.fleet.ledgerReader();
        List<SandboxContact> contacts = world.sandbox.contacts();
        List<String> deadLettered = new ArrayList<>();
        for (ElasticMqScenarioQueue queue : List.of(leadQueue, identifyQueue)) {
            for (String body : queue.deadLetteredBodies()) {
                deadLettered.add(DeferredDelivery.fromJson(body).deliveryId());
            }
        }
        for (int p = 0; p < Schedule.PEOPLE; p++) {
            checkPerson(p, contacts, ledger);
        }
        for (Delivery delivery : deliveries) {
            boolean dead = deadLettered.contains(delivery.ledgerKey);
            JsonNode outcome = outcome(ledger, delivery.ledgerKey);
            boolean done = !outcome.isEmpty() && !"queued".equals(outcome.path("status").asText());
            if (dead && (delivery.answered200() || done)) {
                violations.add("dead-lettered and answered 200: " + describe(delivery));
            }
            if (delivery.accepted() && !done && !dead) {
                violations.add("accepted and never delivered nor dead-lettered: " + describe(delivery) + ", ledger "
                        + outcome);
            }
        }
        checkNothingInClear();
    }

    private void checkPerson(int p, List<SandboxContact> contacts, Ledger ledger) {
        Person person = people.get(p);
        List<Delivery> own = deliveries.stream().filter(d -> d.person == p).toList();
        List<Delivery> identifies = own.stream().filter(d -> d.kind == Kind.IDENTIFY).toList();
        boolean identified = schedule.existingUser() && p == 0
                || identifies.stream().anyMatch(Delivery::accepted);
        if (!identified && own.stream().noneMatch(Delivery::accepted)) {
            return;
        }
        // the email the person ends with: the one their last identify (or, without one, their forms) used; only
        // when their identifies were accepted in the order they were sent, else the last writer is not defined
        List<Delivery> acceptedIdentifies = identifies.stream().filter(Delivery::accepted)
                .sorted(java.util.Comparator.comparingInt(d -> d.acceptedAs)).toList();
        List<String> acceptedEmails = acceptedIdentifies.stream().map(d -> d.email).distinct().toList();
        List<String> sentEmails = identifies.stream().map(d -> d.email).distinct().toList();
        if (!acceptedEmails.equals(sentEmails.subList(0, Math.min(sentEmails.size(), acceptedEmails.size())))
                || acceptedEmails.size() < sentEmails.size()) {
            return;
        }
        // the email they end with: the one of the identify the functions completed last (a queued identify completes
        // after a later one answered at once, and sets its email again), else the one their forms used last
        List<String> completed = world.completions.subList(completionStart, world.completions.size());
        String email = acceptedIdentifies.stream().filter(d -> completed.contains(d.ledgerKey))
                .max(java.util.Comparator.comparingInt(d -> completed.indexOf(d.ledgerKey))).map(d -> d.email)
                .orElse(currentEmail[p]);
        List<SandboxContact> theirs = contacts.stream().filter(c -> person.externalId().equals(c.externalId())
                || email.equalsIgnoreCase(c.email())).toList();
        String who = "person " + p + " (" + (identified ? "identified" : "not identified") + ")";
        if (theirs.size() != 1) {
            violations.add(who + " has " + theirs.size() + " unmerged contacts: " + theirs.stream()
                    .map(c -> c.role() + " " + c.id() + (c.externalId() == null ? "" : " ext") + " "
                            + (email.equalsIgnoreCase(c.email()) ? "current email" : "other email"))
                    .toList());
            return;
        }
        SandboxContact contact = theirs.get(0);
        if (identified && !(contact.isUser() && person.externalId().equals(contact.externalId()))) {
            violations.add(who + ": their contact is not their user but a " + contact.role());
        }
        if (identified && !acceptedIdentifies.isEmpty() && !email.equalsIgnoreCase(contact.email())) {
            violations.add(who + ": the user's email is not the one their last identify set");
        }
        if (!acceptedIdentifies.isEmpty() && !"enterprise".equals(contact.customAttributes().get("plan"))) {
            violations.add(who + ": the identify's plan is missing from their contact");
        }
        // the accepted forms in the order the functions completed them: a delivery answered 200 at once, one answered
        // 202 when the queue's consumer did it (a dead-lettered one has no values to check)
        List<Delivery> forms = own.stream().filter(d -> d.kind == Kind.FORM && d.accepted()
                && completed.contains(d.ledgerKey))
                .sorted(java.util.Comparator.comparingInt(d -> completed.indexOf(d.ledgerKey))).toList();
        if (!forms.isEmpty() && forms.stream().allMatch(d -> d.email.equals(email))) {
            Object last = contact.customAttributes().get("utm_source");
            Object first = contact.customAttributes().get("first_utm_source");
            // an invocation paused or killed after its write completes after others that wrote later: then each touch
            // is one of the accepted forms', but which one is the write order, not the completion order
            boolean interrupted = forms.stream().anyMatch(d -> d.interrupted);
            if (!interrupted && !forms.get(forms.size() - 1).utm.equals(last)) {
                violations.add(who + ": utm_source is " + last + ", not the last completed form's "
                        + forms.get(forms.size() - 1).utm + " (completed in order " + forms.stream().map(d -> d.utm)
                                .toList() + ")");
            }
            if (interrupted && forms.stream().noneMatch(d -> d.utm.equals(last))) {
                violations.add(who + ": utm_source is " + last + ", none of the accepted forms' "
                        + forms.stream().map(d -> d.utm).toList());
            }
            if (!interrupted && !forms.get(0).utm.equals(first)) {
                violations.add(who + ": first_utm_source is " + first + ", not the first completed form's "
                        + forms.get(0).utm);
            }
            if (interrupted && forms.stream().noneMatch(d -> d.utm.equals(first))) {
                violations.add(who + ": first_utm_source is " + first + ", none of the accepted forms' "
                        + forms.stream().map(d -> d.utm).toList());
            }
        }
        for (String identity : List.of(IdentityLedger.email(TestPseudonyms.LOCAL, email.toLowerCase(Locale.ROOT)),
                IdentityLedger.externalId(TestPseudonyms.LOCAL, person.externalId()))) {
            Optional<String> remembered = ledger.contactFor(identity);
            if (remembered.isPresent() && !remembered.get().equals(contact.id())
                    && !world.sandbox.mergedInto(remembered.get()).filter(contact.id()::equals).isPresent()) {
                violations.add(who + ": the ledger remembers " + identity.substring(0, identity.indexOf(':'))
                        + " as another contact than their one contact " + contact.role());
            }
        }
    }

    private void checkNothingInClear() {
        List<String> secrets = people.stream().flatMap(p -> p.secrets().stream())
                .map(s -> s.toLowerCase(Locale.ROOT)).toList();
        Map<String, List<String>> places = new LinkedHashMap<>();
        places.put("the ledger", world.ledgerArguments.subList(ledgerStart, world.ledgerArguments.size()));
        places.put("queue attributes", queueAttributes);
        places.put("the logs", world.logLines.subList(logStart, world.logLines.size()));
        places.forEach((place, texts) -> {
            for (String text : List.copyOf(texts)) {
                String lower = text.toLowerCase(Locale.ROOT);
                secrets.stream().filter(lower::contains).findFirst().ifPresent(secret -> violations.add(
                        "an email or external id in clear in " + place + ": " + text.replace(secret, "<" + secret
                                .replaceAll("^s[^-]+-", "") + ">")));
            }
        });
    }

    private static JsonNode outcome(Ledger ledger, String key) {
        return ledger.outcomeOf(key).map(json -> {
            try {
                return JSON.readTree(json);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).orElse(JSON.createObjectNode());
    }

    private String describe(Delivery delivery) {
        return delivery.kind.name().toLowerCase(Locale.ROOT) + " #" + deliveries.indexOf(delivery) + " of person "
                + delivery.person + " (answers " + delivery.statuses + ")";
    }
}
