package dev.contactfunctions.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.contactfunctions.leadcapture.LeadCaptureInstances;
import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.MutableClock;
import dev.contactfunctions.sandbox.SandboxContact;
import dev.contactfunctions.sandbox.SandboxOptions;
import dev.contactfunctions.testsupport.HandlerCalls;
import dev.contactfunctions.testsupport.InjectSandbox;
import dev.contactfunctions.testsupport.TestLambdaContext;
import dev.contactfunctions.testsupport.WebhookAnswer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * A campaign's burst: 1,000 new leads and 100 repeats of some of them, sent within 10 seconds to 10 lead-capture
 * instances that share the ledger (dynalite) and the deferral queue, against Intercom at its real rate limit
 * (1,667 calls per 10 seconds), 150 ms a call and a 2-minute search lag. Every lead must end in Intercom exactly once
 * (directly or through the queue), without a retry storm (at most 1% of Intercom's answers are 429).
 *
 * <p>The sender is open-loop, as a campaign tool is: each delivery leaves at its time whatever the earlier ones
 * answered, and a delivery answered other than 2xx is sent again (same idempotency key) once the burst is over.
 * Each invocation has the template's 15 s Lambda deadline.
 *
 * <p>Time is virtual ({@link VirtualTime}): the sandbox's clock, which the application also runs on (the call budget,
 * the rate-limit pacing and retry delays, the signature check), moves only while every invocation and the sender are
 * waiting, to the next moment one of them is due: a call's 150 ms, the next send, a claim's next poll. So the
 * deliveries leave at their times, the ten instances' calls overlap and crowd Intercom's rate-limit window exactly as
 * in real time, and each invocation's deadline counts the waits it would really make, while the run itself waits for
 * nothing. What the functions compute between waits (their code, the DynamoDB calls to dynalite) takes no time on that
 * clock; a real sleep of theirs (a rate-limit pace or a retry back-off) holds the clock still, which only makes the
 * next call meet Intercom's window sooner. After the burst the queue is drained on the same clock.
 */
@QuarkusTest
@TestProfile(BurstProfile.class)
@WithTestResource(BurstProfile.SandboxOnAStoppedClock.class)
class BurstScenarioTest {

    private static final int LEADS = 1_000;
    private static final int REPEATS = 100;
    private static final int INSTANCES = 10;
    private static final Duration SENT_WITHIN = Duration.ofSeconds(10);
    private static final Duration SEARCH_LAG = Duration.ofMinutes(2);
    private static final Duration INTERCOM_LATENCY = Duration.ofMillis(150);
    /** The template's Timeout of the webhook functions. */
    private static final Duration LAMBDA_TIMEOUT = Duration.ofSeconds(15);
    private static final int SENDER_ROUNDS = 3;

    @InjectSandbox
    IntercomSandbox sandbox;
    @Inject
    Fleet.Factory fleets;

    private Fleet fleet;
    private VirtualTime time;

    @AfterEach
    void closeTheInstancesDynamoDbClients() throws Exception {
        sandbox.setLatency(Duration.ZERO, wait -> { });
        if (fleet != null) {
            fleet.close();
        }
    }

    private record Delivery(String email, String key) {
    }

    @Test
    void aThousandLeadsInTenSecondsThroughTenInstancesEachEndInIntercomOnceWithoutARetryStorm() throws Exception {
        sandbox.setSearchLag(SEARCH_LAG);
        sandbox.setRateLimit(SandboxOptions.DEFAULT_RATE_LIMIT);
        time = new VirtualTime((MutableClock) sandbox.clock());
        sandbox.setLatency(INTERCOM_LATENCY, time::sleep);
        Fleet.defineEventAttributes(sandbox);
        fleet = fleets.on(sandbox.clock());
        List<LeadCaptureInstances.Instance> instances = fleet.leadInstances(INSTANCES, time::sleep);
        List<Delivery> deliveries = campaign();
        sandbox.stats().reset();
        long callsBefore = sandbox.stats().total();
        long rateLimitedBefore = sandbox.stats().totalWithStatus(429);
        long startedAt = sandbox.clock().instant().getEpochSecond();

        Map<Integer, Long> answersByStatus = new TreeMap<>();
        List<Delivery> unanswered = deliveries;
        for (int round = 1; round <= SENDER_ROUNDS && !unanswered.isEmpty(); round++) {
            List<WebhookAnswer> answers = send(unanswered, instances);
            List<Delivery> again = new ArrayList<>();
            for (int i = 0; i < answers.size(); i++) {
                answersByStatus.merge(answers.get(i).status(), 1L, Long::sum);
                if (answers.get(i).status() / 100 != 2) {
                    again.add(unanswered.get(i));
                }
            }
            unanswered = again;
        }
        fleet.deliverQueued(fleet.leadQueue, Fleet.leadConsumers(instances));

        List<String> emails = deliveries.stream().map(Delivery::email).distinct().toList();
        long lastInIntercom = startedAt;
        long duplicated = 0;
        long missing = 0;
        Map<String, List<SandboxContact>> contactsByEmail = sandbox.contacts().stream()
                .filter(c -> c.email() != null)
                .collect(Collectors.groupingBy(c -> c.email().toLowerCase(Locale.ROOT)));
        for (String email : emails) {
            List<SandboxContact> contacts = contactsByEmail.getOrDefault(email.toLowerCase(Locale.ROOT), List.of());
            duplicated += Math.max(0, contacts.size() - 1);
            missing += contacts.isEmpty() ? 1 : 0;
            lastInIntercom = Math.max(lastInIntercom,
                    contacts.stream().mapToLong(SandboxContact::createdAt).min().orElse(startedAt));
        }
        long calls = sandbox.stats().total() - callsBefore;
        long rateLimited = sandbox.stats().totalWithStatus(429) - rateLimitedBefore;
        ScenarioFigures figures = new ScenarioFigures("burst", SEARCH_LAG.toSeconds());
        figures.attempted = deliveries.size();
        figures.accepted = deliveries.size() - unanswered.size();
        figures.delivered = deliveries.stream()
                .filter(d -> fleet.done(LeadCaptureInstances.ledgerKey(d.key()))).count();
        figures.duplicated = duplicated;
        fleet.leadQueue.deadLetterReceives().forEach(figures::deadLettered);
        figures.extra("drain_s", lastInIntercom - startedAt);
        answersByStatus.putIfAbsent(200, 0L);
        answersByStatus.putIfAbsent(202, 0L);
        answersByStatus.putIfAbsent(409, 0L);
        answersByStatus.forEach((status, count) -> figures.extra("status_" + status, count));
        figures.extra("intercom_calls", calls).extra("intercom_429", rateLimited);
        figures.print();

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(unanswered).as("deliveries never answered 2xx after %d sends", SENDER_ROUNDS).isEmpty();
        softly.assertThat(missing).as("leads not in Intercom").isZero();
        softly.assertThat(figures.duplicated).as("duplicated").isZero();
        softly.assertThat(figures.lost()).as("lost").isZero();
        softly.assertThat(figures.deadLettered).as("dead-lettered").isZero();
        softly.assertThat(sandbox.stats().peakInFlight()).as("Intercom calls in flight at once (one per instance)")
                .isEqualTo(INSTANCES);
        softly.assertThat(rateLimited * 100).as("429 answers (%d of %d Intercom calls)", rateLimited, calls)
                .isLessThanOrEqualTo(calls);
        softly.assertAll();
    }

    /** 1,000 new people, then 100 of them again (a second form, another idempotency key), mixed in. */
    private static List<Delivery> campaign() {
        List<Delivery> deliveries = new ArrayList<>();
        for (int i = 0; i < LEADS; i++) {
            deliveries.add(new Delivery("burst-" + i + "+" + UUID.randomUUID().toString().substring(0, 8)
                    + "@example.com", "burst-" + UUID.randomUUID()));
        }
        int step = LEADS / REPEATS;
        for (int r = 0; r < REPEATS; r++) {
            // the repeat of lead r*step comes shortly after it
            int lead = r * step;
            deliveries.add(lead + r + 1 + step / 2, new Delivery(deliveries.get(lead + r).email(),
                    "burst-repeat-" + UUID.randomUUID()));
        }
        return deliveries;
    }

    /**
     * Sends the deliveries evenly within {@link #SENT_WITHIN} on the virtual clock; each is taken by the instance idle
     * longest, and an instance runs one invocation at a time, as a Lambda instance does (a delivery waits for one while
     * all ten are busy, and the instance that finishes first takes it). Answers in the deliveries' order.
     */
    private List<WebhookAnswer> send(List<Delivery> deliveries, List<LeadCaptureInstances.Instance> instances)
            throws Exception {
        List<String> events = deliveries.stream()
                .map(d -> LeadCaptureInstances.event(d.email(), d.key(), b -> { })).toList();
        List<CompletableFuture<WebhookAnswer>> answers = new ArrayList<>();
        events.forEach(e -> answers.add(new CompletableFuture<>()));
        Deque<LeadCaptureInstances.Instance> idle = new ArrayDeque<>(instances);
        Deque<Integer> waitingForAnInstance = new ArrayDeque<>();
        ExecutorService lambda = Executors.newFixedThreadPool(instances.size());
        Duration spacing = SENT_WITHIN.dividedBy(deliveries.size());
        Instant firstSent = time.clock().instant();
        time.join(); // the sender
        try {
            for (int i = 0; i < deliveries.size(); i++) {
                time.sleepUntil(firstSent.plus(spacing.multipliedBy(i)));
                LeadCaptureInstances.Instance instance;
                synchronized (idle) {
                    instance = idle.pollFirst();
                    if (instance == null) {
                        waitingForAnInstance.addLast(i);
                        continue;
                    }
                    time.join(); // the invocation, before the clock can move on
                }
                int first = i;
                lambda.execute(() -> {
                    try {
                        Integer next = first;
                        while (next != null) {
                            answers.get(next).complete(HandlerCalls.webhook(instance.handler(), events.get(next),
                                    new TestLambdaContext("lead-capture", LAMBDA_TIMEOUT)));
                            synchronized (idle) {
                                next = waitingForAnInstance.pollFirst();
                                if (next == null) {
                                    idle.addLast(instance);
                                }
                            }
                        }
                    } catch (Throwable e) {
                        answers.forEach(answer -> answer.completeExceptionally(e));
                    } finally {
                        time.leave();
                    }
                });
            }
        } finally {
            time.leave();
        }
        try {
            List<WebhookAnswer> answered = new ArrayList<>();
            for (CompletableFuture<WebhookAnswer> answer : answers) {
                answered.add(answer.get(5, TimeUnit.MINUTES));
            }
            return answered;
        } finally {
            lambda.shutdownNow();
        }
    }
}
