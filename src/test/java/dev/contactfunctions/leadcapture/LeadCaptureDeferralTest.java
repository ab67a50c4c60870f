package dev.contactfunctions.leadcapture;

import dev.contactfunctions.testsupport.IntercomStubs;
import dev.contactfunctions.testsupport.LedgerSeeds;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.contactfunctions.testsupport.IntercomStubs.contact;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Fault;

import dev.contactfunctions.testsupport.TestPseudonyms;
import dev.contactfunctions.deferral.DeferralException;
import dev.contactfunctions.deferral.DeferralQueue;
import dev.contactfunctions.deferral.DeferredDelivery;
import dev.contactfunctions.deferral.InMemoryDeferralQueue;
import dev.contactfunctions.ledger.Claim;
import dev.contactfunctions.ledger.DeliveryLedger;
import dev.contactfunctions.ledger.DeliveryStart;
import dev.contactfunctions.ledger.IdentityLedger;
import dev.contactfunctions.testsupport.IntercomWireMock;
import dev.contactfunctions.testsupport.QueueBatches;
import dev.contactfunctions.testsupport.WebhookAnswer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * The delivery ledger and the deferral queue around lead capture: what a repeated, concurrent or queued delivery is
 * answered, what happens when the queue itself fails, and the same handler consuming the queue's SQS batches.
 */
@QuarkusTest
@TestProfile(LeadCaptureProfile.class)
@WithTestResource(IntercomWireMock.class)
class LeadCaptureDeferralTest extends LeadCaptureOverWireMock {

    private static final String CREATED = "defe0001";

    @Inject
    InMemoryDeferralQueue queue;

    @Inject
    DeliveryLedger deliveries;

    @Inject
    IdentityLedger identities;

    private String email;
    private String key;

    @BeforeEach
    void workspace() {
        queue.clear();
        IntercomStubs.stubWorkspace(wireMock);
        email = LeadCaptureEvents.uniqueEmail("ada");
        key = "deferral-" + UUID.randomUUID();
    }

    @Test
    void aQueuedDeliveryRepeatedIsAnsweredQueuedAgainWithoutACallOrASecondMessage() {
        intercomDown();
        WebhookAnswer queued = LeadCaptureEvents.json().email(email).idempotencyKey(key).post();
        wireMock.resetRequests();

        WebhookAnswer again = LeadCaptureEvents.json().email(email).idempotencyKey(key).post();
        WebhookAnswer otherLead = LeadCaptureEvents.json().email(LeadCaptureEvents.uniqueEmail("eve")).idempotencyKey(key)
                .post();

        assertThat(queued.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.body()).isEqualTo(queued.body());
        assertThat(again.body().toString()).isEqualTo("{\"status\":\"queued\",\"delivery_id\":\"" + key + "\"}");
        assertThat(otherLead.status()).isEqualTo(422);
        assertThat(otherLead.errorCode()).isEqualTo("idempotency_key_reused");
        assertThat(wireMock.getAllServeEvents()).isEmpty();
        assertThat(queue.waiting()).hasSize(1);
    }

    @Test
    void aDeliveryInProgressElsewhereIsAnswered409WithRetryAfterAndChangesNothing() {
        assertThat(deliveries.startDelivery(LeadCaptureDeliveries.LEDGER_PREFIX + key, Duration.ofSeconds(60)))
                .isInstanceOf(DeliveryStart.Started.class);

        WebhookAnswer answer = LeadCaptureEvents.json().email(email).idempotencyKey(key).post();

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.errorCode()).isEqualTo("delivery_in_progress");
        // the holder's hold runs out in 60 s (a second more for the ledger's whole seconds): a retry then takes over
        assertThat(answer.headers()).containsEntry("Retry-After", "61");
        assertThat(answer.body().path("error").path("retry_after_seconds").asLong()).isEqualTo(61);
        assertThat(wireMock.getAllServeEvents()).isEmpty();
        assertThat(queue.waiting()).isEmpty();
    }

    @Test
    void aPersonClaimedByAnotherDeliveryThatDoesNotFinishIsQueuedNotCreatedTwice() {
        String identity = IdentityLedger.email(TestPseudonyms.LOCAL, email);
        assertThat(identities.claim(identity, "another-delivery", Duration.ofSeconds(60))).isEqualTo(Claim.won());
        try {
            WebhookAnswer answer = LeadCaptureEvents.json().email(email).idempotencyKey(key).post();

            assertThat(answer.status()).isEqualTo(202);
            assertThat(queue.waiting()).extracting(DeferredDelivery::identity).containsExactly(identity);
            wireMock.verify(exactly(0), postRequestedFor(urlPathEqualTo("/contacts")));
            wireMock.verify(exactly(0), postRequestedFor(urlPathEqualTo("/contacts/search")));
        } finally {
            identities.release(identity, "another-delivery");
        }
    }

    @Test
    void whenTheQueueFailsTooTheAnswerIs503AndTheRetryStartsAfresh() {
        intercomDown();
        QuarkusMock.installMockForType((DeferralQueue) delivery -> {
            throw new DeferralException("queue unavailable");
        }, DeferralQueue.class);

        WebhookAnswer answer = LeadCaptureEvents.json().email(email).idempotencyKey(key).post();

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.errorCode()).isEqualTo("intercom_unavailable");
        assertThat(answer.headers()).containsEntry("Retry-After", "30");
        assertThat(deliveries.outcomeOf(LeadCaptureDeliveries.LEDGER_PREFIX + key)).isEmpty();
        assertThat(deliveries.startDelivery(LeadCaptureDeliveries.LEDGER_PREFIX + key, Duration.ofSeconds(1)))
                .isInstanceOf(DeliveryStart.Started.class);
    }

    @Test
    void theHandlerConsumesItsQueueAndTheSenderThenGetsTheOutcome() {
        intercomDown();
        WebhookAnswer queued = LeadCaptureEvents.json().email(email).idempotencyKey(key).post();
        intercomBack();
        String batch = QueueBatches.of(queue.waiting(), 1);

        JsonNode response = LeadCaptureEvents.postRaw(batch);
        WebhookAnswer afterwards = LeadCaptureEvents.json().email(email).idempotencyKey(key).post();

        assertThat(queued.status()).isEqualTo(202);
        assertThat(response.toString()).isEqualTo("{\"batchItemFailures\":[]}");
        wireMock.verify(exactly(1), postRequestedFor(urlPathEqualTo("/contacts")));
        assertThat(afterwards.status()).isEqualTo(200);
        assertThat(afterwards.body().toString())
                .isEqualTo("{\"contact_id\":\"" + CREATED + "\",\"role\":\"lead\",\"outcome\":\"created\"}");
    }

    @Test
    void aMessageReceivedAgainAfterItsDeliveryWasDoneChangesNothing() {
        intercomDown();
        LeadCaptureEvents.json().email(email).idempotencyKey(key).post();
        intercomBack();
        String batch = QueueBatches.of(queue.waiting(), 1);
        LeadCaptureEvents.postRaw(batch);
        wireMock.resetRequests();

        JsonNode again = LeadCaptureEvents.postRaw(QueueBatches.of(QueueBatches.deliveries(batch), 2));

        assertThat(QueueBatches.failedMessageIds(again)).isEmpty();
        assertThat(wireMock.getAllServeEvents()).isEmpty();
    }

    @Test
    void aMessageIntercomStillRefusesIsReportedFailedAndStaysQueuedForItsSender() {
        intercomDown();
        LeadCaptureEvents.json().email(email).idempotencyKey(key).post();
        CircuitBreakerMaintenance.get().resetAll();
        String batch = QueueBatches.of(queue.waiting(), 1);

        JsonNode response = LeadCaptureEvents.postRaw(batch);
        WebhookAnswer repeated = LeadCaptureEvents.json().email(email).idempotencyKey(key).post();

        assertThat(QueueBatches.failedMessageIds(response)).containsExactly(QueueBatches.messageId(batch, 0));
        assertThat(repeated.status()).isEqualTo(202);
        assertThat(deliveries.outcomeOf(LeadCaptureDeliveries.LEDGER_PREFIX + key)).hasValueSatisfying(
                recorded -> assertThat(recorded).contains("\"status\":\"queued\""));
    }

    @Test
    void theCommittedQueueEventIsADeliveryTheHandlerFinishes() throws Exception {
        wireMock.stubFor(post(urlPathEqualTo("/contacts")).willReturn(IntercomStubs.ok(
                contact(CREATED, "lead", "grace.hopper@example.com", 1773144000))));
        IntercomStubs.stubTagging(wireMock, CREATED);
        String committed = Files.readString(QueueBatches.COMMITTED);
        String deliveryId = DeferredDelivery.fromJson(LeadCaptureEvents.JSON.readTree(committed).path("Records").get(0)
                .path("body").asText()).deliveryId();
        LedgerSeeds.forgotten(identities, IdentityLedger.email(TestPseudonyms.LOCAL, "grace.hopper@example.com")); // other tests of this app use her too

        JsonNode response = LeadCaptureEvents.postRaw(committed);

        assertThat(QueueBatches.failedMessageIds(response)).isEmpty();
        assertThat(deliveries.outcomeOf(deliveryId)).hasValueSatisfying(
                recorded -> assertThat(recorded).contains("\"contact_id\":\"" + CREATED + "\""));
        wireMock.verify(postRequestedFor(urlPathEqualTo("/contacts/" + CREATED + "/tags")));
    }

    private void intercomDown() {
        wireMock.stubFor(post(urlPathEqualTo("/contacts/search")).atPriority(1)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    }

    /** Intercom answers again (the breaker of this warm instance closed, as it would after its delay). */
    private void intercomBack() {
        wireMock.resetAll();
        IntercomStubs.stubWorkspace(wireMock);
        IntercomStubs.stubCreate(wireMock, contact(CREATED, "lead", email, 1773144000));
        IntercomStubs.stubTagging(wireMock, CREATED);
        CircuitBreakerMaintenance.get().resetAll();
    }
}
