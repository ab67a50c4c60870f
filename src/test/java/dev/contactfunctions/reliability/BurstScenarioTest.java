package dev.contactfunctions.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.contactfunctions.leadcapture.LeadCaptureInstances;
import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.SandboxContact;
import dev.contactfunctions.sandbox.SandboxOptions;
import dev.contactfunctions.testsupport.HandlerCalls;
import dev.contactfunctions.testsupport.InjectSandbox;
import dev.contactfunctions.testsupport.TestLambdaContext;
import dev.contactfunctions.testsupport.TickingClockSandboxResource;
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
 * Each invocation has the template's 15 s Lambda deadline. The sandbox's clock follows real time here (calls take real
 * time and rate-limit windows pass in real time); it jumps only for the queue's delay and visibility timeout.
 */
@QuarkusTest
@TestProfile(BurstProfile.class)
@WithTestResource(TickingClockSandboxResource.class)
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

    @AfterEach
    void closeTheInstancesDynamoDbClients() throws Exception {
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
        sandbox.setLatency(INTERCOM_LATENCY);
        Fleet.defineEventAttributes(sandbox);
        fleet = fleets.on(sandbox.clock());
        List<LeadCaptureInstances.Instance> instances = fleet.leadInstances(INSTANCES);
        List<Delivery> deliveries = campaign();
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
        for (String email : emails) {
            List<SandboxContact> contacts = sandbox.contactsWithEmail(email);
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
     * Sends the deliveries evenly within {@link #SENT_WITHIN}; each is taken by the next idle instance, and an instance
     * runs one invocation at a time, as a Lambda instance does (a delivery waits for one while all ten are busy).
     * Answers in the deliveries' order.
     */
    private List<WebhookAnswer> send(List<Delivery> deliveries, List<LeadCaptureInstances.Instance> instances)
            throws Exception {
        List<String> events = deliveries.stream()
                .map(d -> LeadCaptureInstances.event(d.email(), d.key(), b -> { })).toList();
        BlockingQueue<LeadCaptureInstances.Instance> idle = new ArrayBlockingQueue<>(instances.size(), false,
                instances);
        ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
        ExecutorService lambda = Executors.newFixedThreadPool(instances.size());
        try {
            long spacingNanos = SENT_WITHIN.toNanos() / deliveries.size();
            List<Future<Future<WebhookAnswer>>> sent = new ArrayList<>();
            for (int i = 0; i < deliveries.size(); i++) {
                String event = events.get(i);
                sent.add(sender.schedule(() -> lambda.submit(() -> {
                    LeadCaptureInstances.Instance instance = idle.take();
                    try {
                        return HandlerCalls.webhook(instance.handler(), event,
                                new TestLambdaContext("lead-capture", LAMBDA_TIMEOUT));
                    } finally {
                        idle.put(instance);
                    }
                }), i * spacingNanos, TimeUnit.NANOSECONDS));
            }
            List<WebhookAnswer> answers = new ArrayList<>();
            for (Future<Future<WebhookAnswer>> delivery : sent) {
                answers.add(delivery.get(5, TimeUnit.MINUTES).get(5, TimeUnit.MINUTES));
            }
            return answers;
        } finally {
            sender.shutdownNow();
            lambda.shutdownNow();
        }
    }
}
