package dev.contactfunctions.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import dev.contactfunctions.invocation.InvocationDeadline;
import dev.contactfunctions.testsupport.TestPseudonyms;
import dev.contactfunctions.deferral.DeferralQueue;
import dev.contactfunctions.deferral.DeferredDelivery;
import dev.contactfunctions.deferral.DeferredDeliveryConsumer;
import dev.contactfunctions.deferral.ElasticMq;
import dev.contactfunctions.infra.DeployedTemplate;
import dev.contactfunctions.deferral.LambdaSqsPoller;
import dev.contactfunctions.intercom.CallBudget;
import dev.contactfunctions.leadcapture.LeadCaptureDeliveries;
import dev.contactfunctions.leadcapture.LeadSubmission;
import dev.contactfunctions.ledger.IdentityLedger;
import dev.contactfunctions.ledger.Ledger;
import dev.contactfunctions.sandbox.SandboxContact;
import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.testsupport.InjectSandbox;
import dev.contactfunctions.testsupport.TestLambdaContext;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * {@code slow_batch}: a batch of 10 deferred lead deliveries, each of another person, on SQS (ElasticMQ: real receive
 * counts and the template's redrive to the dead-letter queue) with the ledger on DynamoDB (dynalite), consumed with
 * the production timeouts while Intercom takes 3 s a call. One invocation has time for one delivery (two calls), so
 * the rest of each batch goes back; every receive counts at SQS. No delivery may reach the dead-letter queue without
 * its full number of real attempts at Intercom, and every delivery that can complete does.
 *
 * <p>The Lambda deadline is the template's function timeout: one invocation completes one delivery, and starts no
 * create it could not wait for in full (a write cut short would be an unknown outcome).
 *
 * <p>Intercom's 3 s are played on the sandbox's clock, which is the application's too: each call moves it on by 3 s
 * instead of being waited for, so the deadline, the budget and the search lag see the same time pass as in a run that
 * waits, in a fraction of the real time. No call here is given less than its 3 s: a delivery starts only when a full
 * attempt (the template's connect and read timeouts, 7 s) still fits, and a delivery's two calls fit in that.
 */
@QuarkusTest
@TestProfile(SlowBatchProfile.class)
@WithTestResource(SlowBatchProfile.SandboxOnItsClock.class)
class SlowBatchScenariosTest {

    private static final int BATCH = 10;
    private static final String NAME = "Slow Batch";
    private static final Duration INTERCOM_CALL = Duration.ofSeconds(3);
    private static final Duration LAMBDA_DEADLINE = Duration.ofSeconds(DeployedTemplate.functionTimeoutSeconds());
    /** Deliveries still waiting after this many invocations are lost for the figures. */
    private static final int MAX_INVOCATIONS = 2 * BATCH;

    @InjectSandbox
    IntercomSandbox sandbox;
    @Inject
    DeferredDeliveryConsumer consumer;
    @Inject
    DeferralQueue queue;
    @Inject
    CallBudget budget;
    @Inject
    Ledger ledger;

    @Test
    void slowBatch() {
        sandbox.setSearchLag(Duration.ofMinutes(2));
        sandbox.faults().clear();
        CircuitBreakerMaintenance.get().resetAll();
        CountedDeliveries.countWith(sandbox);
        ElasticMq.QueuePair queues = SlowBatchProfile.queues();
        int maxAttempts = Integer.parseInt(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("deferral.max-attempts", String.class).orElse("5"));

        Map<String, String> deliveryOfEmail = new LinkedHashMap<>();
        for (int i = 0; i < BATCH; i++) {
            String email = "slow-" + i + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
            DeferredDelivery delivery = deferredLead(email);
            deliveryOfEmail.put(email, delivery.deliveryId());
            queue.enqueue(delivery);
        }
        sandbox.setClockLatency(INTERCOM_CALL);
        int invocations = 0;
        try (SqsClient sqs = ElasticMq.shared().client()) {
            LambdaSqsPoller lambda = new LambdaSqsPoller(sqs, queues.queueUrl());
            while (invocations < MAX_INVOCATIONS && lambda.pollOnce(event -> {
                try (InvocationDeadline.Scope invocation = budget.openFor(new TestLambdaContext("lead-capture",
                        LAMBDA_DEADLINE))) {
                    return consumer.consume(event);
                }
            }).received() > 0) {
                invocations++;
            }
        } finally {
            sandbox.setClockLatency(Duration.ZERO);
        }

        ScenarioFigures figures = new ScenarioFigures("slow_batch", sandbox.searchLag().toSeconds());
        figures.attempted = BATCH;
        figures.accepted = BATCH;
        List<Message> deadLetters = ElasticMq.shared().drain(queues.deadLetterQueueUrl());
        List<Integer> attemptsBeforeDlq = new ArrayList<>();
        for (Message dead : deadLetters) {
            int attempts = CountedDeliveries.realAttempts(DeferredDelivery.fromJson(dead.body()).deliveryId());
            attemptsBeforeDlq.add(attempts);
            figures.deadLettered(attempts);
        }
        for (Map.Entry<String, String> lead : deliveryOfEmail.entrySet()) {
            List<SandboxContact> contacts = sandbox.contactsWithEmail(lead.getKey());
            figures.delivered += deliveredInto(lead.getValue(), contacts) ? 1 : 0;
            figures.duplicated += Math.max(0, contacts.size() - 1);
        }
        figures.print();

        assertThat(attemptsBeforeDlq).as("real attempts of each dead-lettered delivery")
                .allSatisfy(attempts -> assertThat(attempts).isGreaterThanOrEqualTo(maxAttempts));
        assertThat(figures.delivered).as("deliveries done after %d invocations", invocations).isEqualTo(BATCH);
        assertThat(figures.duplicated).isZero();
        assertThat(figures.lost()).isZero();
    }

    /**
     * Whether a delivery is delivered: the ledger records it done (not queued) with the contact it wrote, and that
     * contact in Intercom holds the delivery's values.
     */
    private boolean deliveredInto(String deliveryId, List<SandboxContact> contacts) {
        Optional<String> recorded = ledger.outcomeOf(deliveryId);
        if (recorded.isEmpty()) {
            return false;
        }
        JsonNode outcome;
        try {
            outcome = new ObjectMapper().readTree(recorded.get());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String contactId = outcome.path("contact_id").asText();
        return !"queued".equals(outcome.path("status").asText()) && contacts.stream()
                .anyMatch(c -> c.id().equals(contactId) && NAME.equals(c.name()));
    }

    /** A lead the webhook validated and deferred, as it waits on the queue. */
    private static DeferredDelivery deferredLead(String email) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("email", email).put("name", NAME);
        LeadSubmission lead = LeadSubmission.from(body, false);
        return DeferredDelivery.first(LeadCaptureDeliveries.ROUTE, lead.toBody(), IdentityLedger.email(TestPseudonyms.LOCAL, email),
                "lead-capture:" + UUID.randomUUID(), java.time.Instant.now());
    }
}
