package dev.contactfunctions.identity;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.contactfunctions.identity.IdentifyScenario.EMAIL;
import static dev.contactfunctions.identity.IdentifyScenario.LEAD_GIVEN;
import static dev.contactfunctions.identity.IdentifyScenario.LEAD_NEW;
import static dev.contactfunctions.identity.IdentifyScenario.LEAD_OLD;
import static dev.contactfunctions.identity.IdentifyScenario.USER;
import static dev.contactfunctions.identity.IntercomJson.dataAttributes;
import static dev.contactfunctions.identity.IntercomJson.lead;
import static dev.contactfunctions.identity.IntercomJson.page;
import static dev.contactfunctions.identity.IntercomJson.user;
import static dev.contactfunctions.identity.IntercomJson.withAttributes;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import dev.contactfunctions.deferral.InMemoryDeferralQueue;
import dev.contactfunctions.ledger.DeliveryLedger;
import dev.contactfunctions.testsupport.IntercomWireMock;
import dev.contactfunctions.testsupport.JsonLogCapture;
import dev.contactfunctions.testsupport.LogsInsightsQuery;
import dev.contactfunctions.testsupport.QueueBatches;
import dev.contactfunctions.testsupport.WebhookAnswer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/** The handler end to end over WireMock: real-shaped events in, the exact Intercom requests out, the answer. */
@QuarkusTest
@TestProfile(IdentifyMergeProfile.class)
@WithTestResource(IntercomWireMock.class)
class IdentifyMergeHandlerTest extends IdentifyMergeOverWireMock {

    @Inject
    DeliveryLedger deliveries;
    @Inject
    InMemoryDeferralQueue queue;
    @Inject
    IdentifyMergeConfig config;

    @BeforeEach
    void workspace() {
        queue.clear();
        intercom.stubFor(get(urlPathEqualTo("/data_attributes")).withQueryParam("model", equalTo("contact"))
                .willReturn(okJson(dataAttributes(Map.of("plan", "string", "first_source", "string",
                        "company_size", "string", "seats", "integer")).toString())));
    }

    @Test
    void existingUserGetsBothLeadsMergedAfterTheirMissingAttributesAreCopied() {
        ObjectNode user = user(USER, EMAIL, "user-1001", Map.of("plan", "free"));
        ObjectNode oldLead = lead(LEAD_OLD, EMAIL, 1_772_000_000L, Map.of("first_source", "google", "company_size", "11-50"));
        ObjectNode newLead = lead(LEAD_NEW, EMAIL, 1_773_000_000L,
                Map.of("first_source", "newsletter", "company_size", "51-200", "plan", "trial"));
        ObjectNode copied = withAttributes(user, Map.of("first_source", "google", "company_size", "51-200"));
        intercom.stubFor(get(urlEqualTo("/contacts/find_by_external_id/user-1001")).willReturn(okJson(user.toString())));
        intercom.stubFor(post(urlEqualTo("/contacts/search")).willReturn(okJson(page(oldLead, newLead).toString())));
        intercom.stubFor(put(urlEqualTo("/contacts/" + USER))
                .withRequestBody(equalToJson("{\"custom_attributes\":{\"first_source\":\"google\",\"company_size\":\"51-200\"}}"))
                .willReturn(okJson(copied.toString())));
        intercom.stubFor(post(urlEqualTo("/contacts/merge")).willReturn(okJson(copied.toString())));
        intercom.stubFor(put(urlEqualTo("/contacts/" + USER))
                .withRequestBody(equalToJson("{\"name\":\"Ada Lovelace\",\"signed_up_at\":1773147600,"
                        + "\"custom_attributes\":{\"plan\":\"enterprise\"}}"))
                .willReturn(okJson(withAttributes(copied, Map.of("plan", "enterprise")).toString())));

        WebhookAnswer answer = LambdaEvents.invoke(LambdaEvents.identify(LambdaEvents.body(LambdaEvents.IDENTIFY)));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().toString()).isEqualTo("{\"user_id\":\"" + USER + "\",\"user_created\":false,"
                + "\"merged_lead_ids\":[\"" + LEAD_OLD + "\",\"" + LEAD_NEW + "\"],"
                + "\"attributes_copied\":[\"company_size\",\"first_source\"],\"skipped\":[]}");
        assertThat(calls()).containsExactly(
                "GET /data_attributes?model=contact",
                "GET /contacts/find_by_external_id/user-1001",
                "POST /contacts/search {\"query\":{\"operator\":\"AND\",\"value\":[{\"field\":\"email\",\"operator\":\"=\","
                        + "\"value\":\"ada@example.com\"},{\"field\":\"role\",\"operator\":\"=\",\"value\":\"lead\"}]},"
                        + "\"pagination\":{\"per_page\":150}}",
                "PUT /contacts/" + USER + " {\"custom_attributes\":{\"company_size\":\"51-200\",\"first_source\":\"google\"}}",
                "POST /contacts/merge {\"from\":\"" + LEAD_OLD + "\",\"into\":\"" + USER + "\"}",
                "POST /contacts/merge {\"from\":\"" + LEAD_NEW + "\",\"into\":\"" + USER + "\"}",
                "PUT /contacts/" + USER + " {\"name\":\"Ada Lovelace\",\"signed_up_at\":1773147600,"
                        + "\"custom_attributes\":{\"plan\":\"enterprise\"}}");
    }

    @Test
    void identifyRepeatedWithItsIdempotencyKeyIsAnsweredAgainWithoutAnyCall() {
        ObjectNode user = user(USER, EMAIL, "user-1001", Map.of("plan", "enterprise"));
        ((ObjectNode) user).put("name", "Ada Lovelace").put("signed_up_at", 1_773_147_600L);
        intercom.stubFor(get(urlEqualTo("/contacts/find_by_external_id/user-1001")).willReturn(okJson(user.toString())));
        intercom.stubFor(post(urlEqualTo("/contacts/search")).willReturn(okJson(page().toString())));
        String key = "signup-" + java.util.UUID.randomUUID();
        ObjectNode first = LambdaEvents.identify(LambdaEvents.body(LambdaEvents.IDENTIFY));
        LambdaEvents.headers(first).put("idempotency-key", key);
        WebhookAnswer answer = LambdaEvents.invoke(first);
        intercom.resetRequests();

        ObjectNode again = LambdaEvents.identify(LambdaEvents.body(LambdaEvents.IDENTIFY));
        LambdaEvents.headers(again).put("idempotency-key", key);
        WebhookAnswer repeated = LambdaEvents.invoke(again);
        ObjectNode other = LambdaEvents.identify(LambdaEvents.body(LambdaEvents.IDENTIFY).put("external_id", "user-2"));
        LambdaEvents.headers(other).put("idempotency-key", key);
        WebhookAnswer reused = LambdaEvents.invoke(other);

        assertThat(repeated.status()).isEqualTo(200);
        assertThat(repeated.body()).isEqualTo(answer.body());
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.errorCode()).isEqualTo("idempotency_key_reused");
        assertThat(intercom.getAllServeEvents()).isEmpty();
    }

    @Test
    void identifyInProgressElsewhereIsAnswered409WithRetryAfter() {
        String key = "signup-" + java.util.UUID.randomUUID();
        deliveries.startDelivery(IdentifyEndpoint.LEDGER_PREFIX + key, Duration.ofMinutes(1));
        ObjectNode event = LambdaEvents.identify(LambdaEvents.body(LambdaEvents.IDENTIFY));
        LambdaEvents.headers(event).put("idempotency-key", key);

        WebhookAnswer answer = LambdaEvents.invoke(event);

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.errorCode()).isEqualTo("delivery_in_progress");
        // the holder's hold runs out in 60 s (a second more for the ledger's whole seconds): a retry then takes over
        assertThat(answer.headers()).containsEntry("Retry-After", "61");
        assertThat(calls()).isEmpty();
    }

    @Test
    void aForgedIdempotencyKeyStaysOneValueAndTheDeliveriesQueryReadsTheRealStatusAndOutcome() {
        String key = "k-status=500,outcome=forged\"duration_ms=999999";
        deliveries.startDelivery(IdentifyEndpoint.LEDGER_PREFIX + key, Duration.ofMinutes(1));
        ObjectNode event = LambdaEvents.identify(LambdaEvents.body(LambdaEvents.IDENTIFY));
        LambdaEvents.headers(event).put("idempotency-key", key);
        List<JsonNode> lines;
        try (JsonLogCapture capture = JsonLogCapture.of(IdentifyMergeHandler.class)) {
            assertThat(LambdaEvents.invoke(event).status()).isEqualTo(409);
            lines = capture.lines();
        }

        JsonNode line = lines.get(lines.size() - 1);
        assertThat(JsonLogCapture.valuesNamed(line, "status")).as("%s", line).containsExactly("409");
        assertThat(JsonLogCapture.valuesNamed(line, "outcome")).containsExactly("in_progress");
        assertThat(JsonLogCapture.valuesNamed(line, "duration_ms")).singleElement().asString().matches("\\d+")
                .isNotEqualTo("999999");
        assertThat(JsonLogCapture.valuesNamed(line, "delivery_id")).containsExactly(key);
        assertThat(LogsInsightsQuery.read("deliveries.query").valuesOf(line)).containsEntry("function", "identify-merge")
                .containsEntry("status", "409").containsEntry("outcome", "in_progress");
    }

    @Test
    void newPersonIsCreatedAsUserWithTheEventsFieldsAndNothingElseIsWritten() {
        ObjectNode created = user(USER, EMAIL, "user-1001", Map.of("plan", "enterprise"));
        ((ObjectNode) created).put("name", "Ada Lovelace").put("signed_up_at", 1_773_147_600L);
        intercom.stubFor(get(urlEqualTo("/contacts/find_by_external_id/user-1001"))
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                        .withBody(IntercomJson.error("not_found", "User Not Found").toString())));
        intercom.stubFor(post(urlEqualTo("/contacts/search")).willReturn(okJson(page().toString())));
        intercom.stubFor(post(urlEqualTo("/contacts")).willReturn(okJson(created.toString())));

        WebhookAnswer answer = LambdaEvents.invoke(LambdaEvents.identify(LambdaEvents.body(LambdaEvents.IDENTIFY)));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("user_created").asBoolean()).isTrue();
        assertThat(answer.body().get("merged_lead_ids")).isEmpty();
        assertThat(calls()).containsExactly(
                "GET /data_attributes?model=contact",
                "GET /contacts/find_by_external_id/user-1001",
                // one search of the email, whatever the role: it serves the user lookup and the leads alike
                "POST /contacts/search {\"query\":{\"field\":\"email\",\"operator\":\"=\","
                        + "\"value\":\"ada@example.com\"},\"pagination\":{\"per_page\":150}}",
                "POST /contacts {\"role\":\"user\",\"external_id\":\"user-1001\",\"email\":\"ada@example.com\","
                        + "\"name\":\"Ada Lovelace\",\"signed_up_at\":1773147600,\"custom_attributes\":{\"plan\":\"enterprise\"}}");
    }

    @Test
    void userCreatedNotificationMergesTheLeadsOfItsEmailWithoutReadingTheContactAgain() {
        ObjectNode oldLead = lead(LEAD_OLD, EMAIL, 1_772_000_000L, Map.of());
        intercom.stubFor(post(urlEqualTo("/contacts/search")).willReturn(okJson(page(oldLead).toString())));
        intercom.stubFor(post(urlEqualTo("/contacts/merge"))
                .willReturn(okJson(user(USER, EMAIL, "user-1001", Map.of("plan", "pro")).toString())));

        WebhookAnswer answer = LambdaEvents.invoke(LambdaEvents.notification(LambdaEvents.body(LambdaEvents.NOTIFICATION)));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().toString()).isEqualTo("{\"status\":\"processed\","
                + "\"notification_id\":\"notif_5b0c5ad2-7a1f-4c3e-9d51-2f6b8e0c4a17\",\"topic\":\"contact.user.created\","
                + "\"user_id\":\"" + USER + "\",\"merged_lead_ids\":[\"" + LEAD_OLD + "\"],\"attributes_copied\":[],"
                + "\"skipped\":[]}");
        assertThat(calls()).containsExactly(
                "POST /contacts/search {\"query\":{\"operator\":\"AND\",\"value\":[{\"field\":\"email\",\"operator\":\"=\","
                        + "\"value\":\"ada@example.com\"},{\"field\":\"role\",\"operator\":\"=\",\"value\":\"lead\"}]},"
                        + "\"pagination\":{\"per_page\":150}}",
                "POST /contacts/merge {\"from\":\"" + LEAD_OLD + "\",\"into\":\"" + USER + "\"}");

        intercom.resetRequests();
        WebhookAnswer again = LambdaEvents.invoke(LambdaEvents.notification(LambdaEvents.body(LambdaEvents.NOTIFICATION)));

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().get("status").asText()).isEqualTo("duplicate");
        assertThat(again.body().at("/first_outcome/merged_lead_ids/0").asText()).isEqualTo(LEAD_OLD);
        assertThat(intercom.getAllServeEvents()).isEmpty();
    }

    @Test
    void correctlySignedNotificationFrom2017IsIgnoredAsStaleWithoutAnyCall() {
        ObjectNode body = LambdaEvents.body(LambdaEvents.NOTIFICATION).put("id", "notif_replayed-2017");
        intercom.stubFor(post(urlEqualTo("/contacts/search")).willReturn(okJson(page(
                lead(LEAD_OLD, EMAIL, 1_772_000_000L, Map.of("first_source", "google"))).toString())));
        intercom.stubFor(post(urlEqualTo("/contacts/merge"))
                .willReturn(okJson(user(USER, EMAIL, "user-1001", Map.of()).toString())));
        intercom.stubFor(put(urlEqualTo("/contacts/" + USER))
                .willReturn(okJson(user(USER, EMAIL, "user-1001", Map.of()).toString())));

        WebhookAnswer answer = LambdaEvents.invoke(LambdaEvents.notification(body, Instant.ofEpochSecond(1_500_000_000L)));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().toString()).isEqualTo("{\"status\":\"ignored\",\"notification_id\":\"notif_replayed-2017\","
                + "\"topic\":\"contact.user.created\",\"reason\":\"stale_notification\"}");
        assertThat(calls()).isEmpty();
    }

    @Test
    void notificationOlderThanTheWindowIsIgnoredAndOneJustInsideIsProcessed() {
        intercom.stubFor(post(urlEqualTo("/contacts/search")).willReturn(okJson(page().toString())));
        Instant now = Instant.now();

        WebhookAnswer tooOld = LambdaEvents.invoke(LambdaEvents.notification(LambdaEvents.body(LambdaEvents.NOTIFICATION)
                .put("id", "notif_too-old"), now.minus(config.notificationMaxAge()).minusSeconds(60)));
        assertThat(calls()).isEmpty();
        WebhookAnswer throttledLong = LambdaEvents.invoke(LambdaEvents.notification(LambdaEvents.body(
                LambdaEvents.NOTIFICATION).put("id", "notif_throttled"), now.minus(Duration.ofHours(2))));

        assertThat(tooOld.body().path("status").asText()).isEqualTo("ignored");
        assertThat(tooOld.body().path("reason").asText()).isEqualTo("stale_notification");
        // Intercom delays a notification it throttled by up to 2 hours before it drops it
        assertThat(throttledLong.body().path("status").asText()).isEqualTo("processed");
        assertThat(calls()).containsExactly("POST /contacts/search {\"query\":{\"operator\":\"AND\",\"value\":["
                + "{\"field\":\"email\",\"operator\":\"=\",\"value\":\"ada@example.com\"},"
                + "{\"field\":\"role\",\"operator\":\"=\",\"value\":\"lead\"}]},\"pagination\":{\"per_page\":150}}");
    }

    @Test
    void notificationDatedAheadOfOurClockIsIgnoredBeyondASmallSkew() {
        intercom.stubFor(post(urlEqualTo("/contacts/search")).willReturn(okJson(page().toString())));
        Instant now = Instant.now();

        WebhookAnswer future = LambdaEvents.invoke(LambdaEvents.notification(LambdaEvents.body(LambdaEvents.NOTIFICATION)
                .put("id", "notif_from-the-future"), now.plus(Duration.ofDays(3650))));
        assertThat(calls()).isEmpty();
        WebhookAnswer skewed = LambdaEvents.invoke(LambdaEvents.notification(LambdaEvents.body(LambdaEvents.NOTIFICATION)
                .put("id", "notif_clock-skew"), now.plus(Duration.ofMinutes(2))));

        assertThat(future.status()).isEqualTo(200);
        assertThat(future.body().path("status").asText()).isEqualTo("ignored");
        assertThat(future.body().path("reason").asText()).isEqualTo("future_notification");
        assertThat(skewed.body().path("status").asText()).isEqualTo("processed");
        assertThat(calls()).hasSize(1);
    }

    @Test
    void identifyWithTheLeadIdOfALeadWithAnotherEmailIsRefusedBeforeAnythingIsWritten() {
        intercom.stubFor(get(urlEqualTo("/contacts/find_by_external_id/user-1001"))
                .willReturn(okJson(user(USER, EMAIL, "user-1001", Map.of("plan", "free")).toString())));
        intercom.stubFor(get(urlEqualTo("/contacts/" + LEAD_GIVEN)).willReturn(okJson(
                lead(LEAD_GIVEN, "grace@example.com", 1_773_100_000L, Map.of("first_source", "ads")).toString())));
        stubEveryWrite();

        WebhookAnswer answer = LambdaEvents.invoke(LambdaEvents.identify(LambdaEvents.body(LambdaEvents.IDENTIFY)
                .put("lead_id", LEAD_GIVEN)));

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errorCode()).isEqualTo("lead_email_mismatch");
        assertThat(answer.errorField()).isEqualTo("lead_id");
        assertThat(answer.body().toString()).doesNotContain("grace@example.com");
        assertThat(calls()).containsExactly(
                "GET /data_attributes?model=contact",
                "GET /contacts/find_by_external_id/user-1001",
                "GET /contacts/" + LEAD_GIVEN);
    }

    @Test
    void signUpWithTheLeadIdOfALeadWithAnotherEmailCreatesNoUser() {
        intercom.stubFor(get(urlEqualTo("/contacts/find_by_external_id/user-1001")).willReturn(aResponse()
                .withStatus(404).withHeader("Content-Type", "application/json")
                .withBody(IntercomJson.error("not_found", "User Not Found").toString())));
        intercom.stubFor(post(urlEqualTo("/contacts/search")).willReturn(okJson(page().toString())));
        intercom.stubFor(get(urlEqualTo("/contacts/" + LEAD_GIVEN)).willReturn(okJson(
                lead(LEAD_GIVEN, "grace@example.com", 1_773_100_000L, Map.of()).toString())));
        stubEveryWrite();

        WebhookAnswer answer = LambdaEvents.invoke(LambdaEvents.identify(LambdaEvents.body(LambdaEvents.IDENTIFY)
                .put("lead_id", LEAD_GIVEN)));

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errorCode()).isEqualTo("lead_email_mismatch");
        assertThat(calls()).containsExactly(
                "GET /data_attributes?model=contact",
                "GET /contacts/find_by_external_id/user-1001",
                "POST /contacts/search {\"query\":{\"field\":\"email\",\"operator\":\"=\",\"value\":\"ada@example.com\"},"
                        + "\"pagination\":{\"per_page\":150}}",
                "GET /contacts/" + LEAD_GIVEN);
    }

    @Test
    void givenLeadWithThePersonsEmailInAnotherCaseIsMergedFirst() {
        ObjectNode user = user(USER, EMAIL, "user-1001", Map.of("plan", "enterprise"));
        user.put("name", "Ada Lovelace").put("signed_up_at", 1_773_147_600L);
        intercom.stubFor(get(urlEqualTo("/contacts/find_by_external_id/user-1001")).willReturn(okJson(user.toString())));
        intercom.stubFor(get(urlEqualTo("/contacts/" + LEAD_GIVEN)).willReturn(okJson(
                lead(LEAD_GIVEN, " ADA@Example.COM", 1_773_100_000L, Map.of()).toString())));
        intercom.stubFor(post(urlEqualTo("/contacts/search")).willReturn(okJson(page().toString())));
        intercom.stubFor(post(urlEqualTo("/contacts/merge")).willReturn(okJson(user.toString())));

        WebhookAnswer answer = LambdaEvents.invoke(LambdaEvents.identify(LambdaEvents.body(LambdaEvents.IDENTIFY)
                .put("lead_id", LEAD_GIVEN)));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("merged_lead_ids").toString()).isEqualTo("[\"" + LEAD_GIVEN + "\"]");
        assertThat(calls()).containsExactly(
                "GET /data_attributes?model=contact",
                "GET /contacts/find_by_external_id/user-1001",
                "GET /contacts/" + LEAD_GIVEN,
                "POST /contacts/search {\"query\":{\"operator\":\"AND\",\"value\":[{\"field\":\"email\",\"operator\":\"=\","
                        + "\"value\":\"ada@example.com\"},{\"field\":\"role\",\"operator\":\"=\",\"value\":\"lead\"}]},"
                        + "\"pagination\":{\"per_page\":150}}",
                "POST /contacts/merge {\"from\":\"" + LEAD_GIVEN + "\",\"into\":\"" + USER + "\"}");
    }

    @Test
    void queuedIdentifyWithTheLeadIdOfALeadWithAnotherEmailIsRefusedFromTheQueueToo() {
        intercom.stubFor(get(urlEqualTo("/contacts/find_by_external_id/user-1001"))
                .willReturn(aResponse().withStatus(503)));
        WebhookAnswer queued = LambdaEvents.invoke(LambdaEvents.identify(LambdaEvents.body(LambdaEvents.IDENTIFY)
                .put("lead_id", LEAD_GIVEN)));
        assertThat(queued.status()).isEqualTo(202);
        intercom.resetAll();
        intercom.stubFor(get(urlPathEqualTo("/data_attributes")).withQueryParam("model", equalTo("contact"))
                .willReturn(okJson(dataAttributes(Map.of("plan", "string")).toString())));
        intercom.stubFor(get(urlEqualTo("/contacts/find_by_external_id/user-1001"))
                .willReturn(okJson(user(USER, EMAIL, "user-1001", Map.of("plan", "free")).toString())));
        intercom.stubFor(get(urlEqualTo("/contacts/" + LEAD_GIVEN)).willReturn(okJson(
                lead(LEAD_GIVEN, "grace@example.com", 1_773_100_000L, Map.of()).toString())));
        stubEveryWrite();
        CircuitBreakerMaintenance.get().resetAll();

        JsonNode consumed = LambdaEvents.invokeRaw(QueueBatches.of(queue.waiting(), 1));

        // refused like any request Intercom's state rules out: kept for the dead-letter queue and its alarm
        assertThat(QueueBatches.failedMessageIds(consumed)).hasSize(1);
        assertThat(calls()).containsExactly(
                "GET /contacts/find_by_external_id/user-1001",
                "GET /contacts/" + LEAD_GIVEN);
    }

    /** Every write the identify flow can make, answered, so that only the flow's own choice keeps them away. */
    private void stubEveryWrite() {
        String answer = user(USER, EMAIL, "user-1001", Map.of()).toString();
        intercom.stubFor(post(urlEqualTo("/contacts")).willReturn(okJson(answer)));
        intercom.stubFor(put(urlEqualTo("/contacts/" + USER)).willReturn(okJson(answer)));
        intercom.stubFor(post(urlEqualTo("/contacts/merge")).willReturn(okJson(answer)));
    }

    @Test
    void notificationIntercomCannotTakeNowIsAcknowledgedQueuedAndFinishedFromTheQueue() {
        ObjectNode body = LambdaEvents.body(LambdaEvents.NOTIFICATION).put("id", "notif_queued-1");
        intercom.stubFor(post(urlEqualTo("/contacts/search")).willReturn(aResponse().withStatus(503)));

        WebhookAnswer queued = LambdaEvents.invoke(LambdaEvents.notification(body));
        WebhookAnswer intercomsRetry = LambdaEvents.invoke(LambdaEvents.notification(body));

        assertThat(queued.status()).isEqualTo(200);
        assertThat(queued.body().toString()).isEqualTo("{\"status\":\"queued\",\"notification_id\":\"notif_queued-1\","
                + "\"topic\":\"contact.user.created\"}");
        assertThat(intercomsRetry.status()).isEqualTo(200);
        assertThat(intercomsRetry.body().get("status").asText()).isEqualTo("duplicate");
        assertThat(queue.waiting()).hasSize(1);

        intercom.stubFor(post(urlEqualTo("/contacts/search")).willReturn(okJson(page().toString())));
        CircuitBreakerMaintenance.get().resetAll();
        String batch = QueueBatches.of(queue.waiting(), 1);
        JsonNode consumed = LambdaEvents.invokeRaw(batch);
        WebhookAnswer afterwards = LambdaEvents.invoke(LambdaEvents.notification(body));

        assertThat(QueueBatches.failedMessageIds(consumed)).isEmpty();
        assertThat(afterwards.body().get("status").asText()).isEqualTo("duplicate");
        assertThat(afterwards.body().at("/first_outcome/status").asText()).isEqualTo("processed");
    }

    @Test
    void notificationBeingProcessedElsewhereIsQueuedForWhenItsHolderIsDoneOrDead() {
        ObjectNode body = LambdaEvents.body(LambdaEvents.NOTIFICATION).put("id", "notif_in-progress-1");
        deliveries.startDelivery(IntercomNotificationEndpoint.LEDGER_PREFIX + "notif_in-progress-1",
                Duration.ofMinutes(1));

        WebhookAnswer answer = LambdaEvents.invoke(LambdaEvents.notification(body));

        // acknowledged: Intercom sends a notification twice at most, and the holder may have been killed
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("status").asText()).isEqualTo("queued");
        assertThat(queue.waiting()).singleElement().satisfies(deferred -> {
            assertThat(deferred.route()).isEqualTo(IntercomNotificationEndpoint.ROUTE);
            assertThat(deferred.deliveryId()).isEqualTo(IntercomNotificationEndpoint.LEDGER_PREFIX
                    + "notif_in-progress-1");
        });
        assertThat(intercom.getAllServeEvents()).isEmpty();
    }

    @Test
    void leadSignedUpNotificationWhosePayloadStillSaysLeadIsReadAgainBeforeMerging() {
        ObjectNode body = LambdaEvents.body(LambdaEvents.NOTIFICATION);
        body.put("id", "notif_lead-signed-up-1").put("topic", "contact.lead.signed_up");
        ((ObjectNode) body.at("/data/item")).put("role", "lead");
        intercom.stubFor(get(urlEqualTo("/contacts/" + USER))
                .willReturn(okJson(user(USER, EMAIL, "user-1001", Map.of()).toString())));
        intercom.stubFor(post(urlEqualTo("/contacts/search")).willReturn(okJson(page().toString())));

        WebhookAnswer answer = LambdaEvents.invoke(LambdaEvents.notification(body));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("status").asText()).isEqualTo("processed");
        assertThat(calls()).hasSize(2).first().isEqualTo("GET /contacts/" + USER);
    }

    @Test
    void pingIsAnsweredWithoutCallingIntercom() {
        ObjectNode body = LambdaEvents.body(LambdaEvents.NOTIFICATION);
        body.put("id", "notif_ping-1").put("topic", "ping");
        ObjectNode item = body.putObject("data").put("type", "notification_event_data").putObject("item");
        item.put("type", "ping").put("message", "something something interzen");

        WebhookAnswer answer = LambdaEvents.invoke(LambdaEvents.notification(body));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("status").asText()).isEqualTo("pong");
        assertThat(intercom.getAllServeEvents()).isEmpty();
    }

    @Test
    void otherTopicsAreAcknowledgedAndIgnored() {
        ObjectNode body = LambdaEvents.body(LambdaEvents.NOTIFICATION);
        body.put("id", "notif_tag-1").put("topic", "contact.user.tag.created");

        WebhookAnswer answer = LambdaEvents.invoke(LambdaEvents.notification(body));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("status").asText()).isEqualTo("ignored");
        assertThat(answer.body().get("reason").asText()).isEqualTo("topic_not_handled");
        assertThat(intercom.getAllServeEvents()).isEmpty();
    }

    @Test
    void unknownPathIsNotFound() {
        ObjectNode event = LambdaEvents.identify(LambdaEvents.body(LambdaEvents.IDENTIFY));
        event.put("rawPath", "/webhooks/unknown");

        WebhookAnswer answer = LambdaEvents.invoke(event);

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.errorCode()).isEqualTo("unknown_route");
        assertThat(intercom.getAllServeEvents()).isEmpty();
    }

    @Test
    void otherMethodsThanPostAreRefused() {
        ObjectNode event = LambdaEvents.identify(LambdaEvents.body(LambdaEvents.IDENTIFY));
        ((ObjectNode) event.at("/requestContext/http")).put("method", "GET");

        WebhookAnswer answer = LambdaEvents.invoke(event);

        assertThat(answer.status()).isEqualTo(405);
        assertThat(answer.errorCode()).isEqualTo("method_not_allowed");
        assertThat(intercom.getAllServeEvents()).isEmpty();
    }

    /** The requests Intercom received, oldest first: method, URL and compact JSON body. */
    private List<String> calls() {
        List<String> calls = new java.util.ArrayList<>(
                intercom.getAllServeEvents().stream().map(IdentifyMergeHandlerTest::describe).toList());
        java.util.Collections.reverse(calls);
        return calls;
    }

    static String describe(ServeEvent event) {
        String body = event.getRequest().getBodyAsString();
        String compact = body == null || body.isBlank() ? "" : " " + compact(body);
        return event.getRequest().getMethod() + " " + event.getRequest().getUrl() + compact;
    }

    private static String compact(String json) {
        try {
            return LambdaEvents.JSON.readTree(json).toString();
        } catch (Exception e) {
            return json;
        }
    }
}
