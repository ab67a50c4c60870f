package dev.contactfunctions.identity;

import dev.contactfunctions.ledger.IdentityLedger;
import dev.contactfunctions.testsupport.TestLambdaContext;
import dev.contactfunctions.testsupport.TestPseudonyms;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static dev.contactfunctions.identity.IdentifyScenario.ARCHIVED_USER;
import static dev.contactfunctions.identity.IdentifyScenario.LEAD_GIVEN;
import static dev.contactfunctions.identity.IdentifyScenario.LEAD_NEW;
import static dev.contactfunctions.identity.IdentifyScenario.LEAD_OLD;
import static dev.contactfunctions.identity.IdentifyScenario.USER;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import dev.contactfunctions.identity.IdentifyScenario.Step;
import dev.contactfunctions.deferral.DeferredDelivery;
import dev.contactfunctions.deferral.InMemoryDeferralQueue;
import dev.contactfunctions.testsupport.IntercomWireMock;
import dev.contactfunctions.testsupport.WebhookAnswer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Every Intercom failure at every step of the identify flow: Intercom unreachable -> 202, the request waits on the
 * deferral queue; Intercom refusing -> the error; nothing is called after the failing step, and what Intercom's
 * answers mean for a merge (gone, refused, user vanished) is honoured.
 */
@QuarkusTest
@TestProfile(IdentifyMergeProfile.class)
@WithTestResource(IntercomWireMock.class)
class IdentifyMergeIntercomFailureTest extends IdentifyMergeOverWireMock {

    @Inject
    @Named("identify-merge")
    IdentifyMergeHandler handler;
    @Inject
    InMemoryDeferralQueue queue;

    private static final ObjectMapper LAMBDA_JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @BeforeEach
    void workspace() {
        queue.clear();
        IdentifyScenario.stubAll(intercom);
    }

    /** 202 {status: queued, delivery_id}; the validated request waits on the queue, grouped by the person. */
    private void assertQueued(WebhookAnswer answer) {
        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.body().path("status").asText()).isEqualTo("queued");
        assertThat(queue.waiting()).singleElement().satisfies(deferred -> {
            assertThat(deferred.route()).isEqualTo("identify");
            assertThat(deferred.deliveryId()).isEqualTo("identify:" + answer.body().path("delivery_id").asText());
            assertThat(deferred.identity()).isEqualTo(IdentityLedger.externalId(TestPseudonyms.LOCAL, "user-1001"));
            assertThat(deferred.payload().path("external_id").asText()).isEqualTo("user-1001");
        });
    }

    @Test
    void theWholeFlowRunsInOrderWhenIntercomAnswers() {
        WebhookAnswer answer = LambdaEvents.invoke(LambdaEvents.identify(IdentifyScenario.eventBody()));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("merged_lead_ids")).extracting(n -> n.asText())
                .containsExactly(LEAD_GIVEN, LEAD_OLD, LEAD_NEW);
        // the given lead is read before anything is written: its email decides whether it may be merged
        assertThat(steps()).containsExactly(null, Step.FIND_USER, Step.READ_GIVEN_LEAD, Step.SEARCH_LEADS,
                Step.COPY_ATTRIBUTES, Step.MERGE, Step.MERGE, Step.MERGE, Step.APPLY_EVENT);
    }

    enum Failure {
        SERVER_ERROR(202, null, 4) {
            ResponseDefinitionBuilder response() {
                return aResponse().withStatus(502).withHeader("Content-Type", "text/html")
                        .withBody("<html><body><h1>502 Bad Gateway</h1></body></html>");
            }
        },
        RATE_LIMITED(202, null, 1) {
            ResponseDefinitionBuilder response() {
                return aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                        .withHeader("X-RateLimit-Reset", Long.toString(Instant.now().plusSeconds(120).getEpochSecond()))
                        .withBody(IntercomJson.error("rate_limit_exceeded", "Exceeded rate limit of 167 in 10_seconds")
                                .toString());
            }
        },
        CONNECTION_RESET(202, null, 4) {
            ResponseDefinitionBuilder response() {
                return aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER);
            }
        },
        UNAUTHORIZED(502, "intercom_rejected", 1) {
            ResponseDefinitionBuilder response() {
                return aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody(IntercomJson.error("unauthorized", "Access Token Invalid").toString());
            }
        };

        final int status;
        final String code;
        final int attempts;

        Failure(int status, String code, int attempts) {
            this.status = status;
            this.code = code;
            this.attempts = attempts;
        }

        abstract ResponseDefinitionBuilder response();
    }

    static Stream<Arguments> everyFailureAtEveryStep() {
        Map<Step, Consumer<WireMockServer>> flows = Map.of(
                Step.FIND_USER, s -> { },
                Step.SEARCH_EMAIL, IdentifyScenario::stubNewPerson,
                Step.CREATE, IdentifyScenario::stubNewPerson,
                Step.UNARCHIVE, IdentifyScenario::stubArchivedPerson,
                Step.READ_CONFLICTING, IdentifyScenario::stubArchivedPerson,
                Step.SEARCH_LEADS, s -> { },
                Step.READ_GIVEN_LEAD, s -> { },
                Step.COPY_ATTRIBUTES, s -> { },
                Step.MERGE, s -> { },
                Step.APPLY_EVENT, s -> { });
        List<Arguments> all = new ArrayList<>();
        for (Step step : Step.values()) {
            for (Failure failure : Failure.values()) {
                all.add(Arguments.of(step, failure, flows.get(step)));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{1} at {0}")
    @MethodSource("everyFailureAtEveryStep")
    void failureAtAStepStopsTheFlowThereAndSaysWhetherToRetry(Step step, Failure failure,
            Consumer<WireMockServer> flow) {
        flow.accept(intercom);
        intercom.stubFor(step.request().atPriority(1).willReturn(failure.response()));

        WebhookAnswer answer = LambdaEvents.invoke(LambdaEvents.identify(IdentifyScenario.eventBody()));

        assertThat(answer.status()).isEqualTo(failure.status);
        assertThat(answer.errorCode()).isEqualTo(failure.code);
        if (failure.status == 202) {
            assertQueued(answer);
        } else {
            assertThat(queue.waiting()).isEmpty();
        }
        List<Step> steps = steps();
        int first = steps.indexOf(step);
        assertThat(first).as("the failing step was called").isNotNegative();
        assertThat(steps.subList(first, steps.size())).as("calls from the failing step on")
                .containsOnly(step).hasSize(failure.attempts);
    }

    @Test
    void leadAlreadyMergedByAConcurrentRunIsSkippedAsGone() {
        intercom.stubFor(Step.MERGE.request().withRequestBody(
                com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.from", 
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo(LEAD_OLD)))
                .atPriority(1).willReturn(notFound()));
        intercom.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get("/contacts/" + LEAD_OLD)
                .willReturn(notFound()));

        WebhookAnswer answer = LambdaEvents.invoke(LambdaEvents.identify(IdentifyScenario.eventBody()));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("merged_lead_ids")).extracting(n -> n.asText())
                .containsExactly(LEAD_GIVEN, LEAD_NEW);
        assertThat(answer.body().get("skipped").toString())
                .isEqualTo("[{\"id\":\"" + LEAD_OLD + "\",\"reason\":\"gone\"}]");
        assertThat(steps()).endsWith(Step.APPLY_EVENT);
    }

    @Test
    void leadMergedAway410IsSkippedAsGoneWithoutAnotherRead() {
        intercom.stubFor(mergeOf(LEAD_NEW).atPriority(1).willReturn(aResponse().withStatus(410)
                .withHeader("Content-Type", "application/json")
                .withHeader("Link", "</contacts/" + USER + ">; rel=\"canonical\"")
                .withBody(IntercomJson.error("contact_merged", "This contact has been merged.").toString())));

        WebhookAnswer answer = LambdaEvents.invoke(LambdaEvents.identify(IdentifyScenario.eventBody()));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("skipped").toString())
                .isEqualTo("[{\"id\":\"" + LEAD_NEW + "\",\"reason\":\"gone\"}]");
        assertThat(intercom.getAllServeEvents()).noneMatch(e -> e.getRequest().getUrl().equals("/contacts/" + LEAD_NEW));
    }

    @Test
    void mergeIntercomRefusesIsSkippedAndTheOthersGoOn() {
        intercom.stubFor(mergeOf(LEAD_GIVEN).atPriority(1).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody(IntercomJson.error("invalid_merge", "Contacts can only be merged when they are duplicates")
                        .toString())));

        WebhookAnswer answer = LambdaEvents.invoke(LambdaEvents.identify(IdentifyScenario.eventBody()));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("merged_lead_ids")).extracting(n -> n.asText())
                .containsExactly(LEAD_OLD, LEAD_NEW);
        assertThat(answer.body().get("skipped").toString())
                .isEqualTo("[{\"id\":\"" + LEAD_GIVEN + "\",\"reason\":\"merge_refused\"}]");
    }

    @Test
    void mergeAnswering404WhileTheLeadStillExistsMeansTheUserIsGoneAndIsRetried() {
        intercom.stubFor(mergeOf(LEAD_GIVEN).atPriority(1).willReturn(notFound()));

        WebhookAnswer answer = LambdaEvents.invoke(LambdaEvents.identify(IdentifyScenario.eventBody()));

        // a vanished user is re-resolved by a later attempt: the delivery waits on the queue
        assertQueued(answer);
        assertThat(steps()).endsWith(Step.MERGE, Step.READ_GIVEN_LEAD);
    }

    @Test
    void givenLeadThatIsAUserIsNeverMerged() {
        intercom.stubFor(Step.READ_GIVEN_LEAD.request().atPriority(1).willReturn(okJson(
                IntercomJson.user(LEAD_GIVEN, "ada@old-employer.example", "someone-else", Map.of()).toString())));

        WebhookAnswer answer = LambdaEvents.invoke(LambdaEvents.identify(IdentifyScenario.eventBody()));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("skipped").toString())
                .isEqualTo("[{\"id\":\"" + LEAD_GIVEN + "\",\"reason\":\"not_a_lead\"}]");
        assertThat(intercom.getAllServeEvents()).noneMatch(e -> e.getRequest().getBodyAsString().contains(
                "\"from\":\"" + LEAD_GIVEN + "\""));
    }

    @Test
    void givenLeadAlreadyGoneIsSkippedAsGone() {
        intercom.stubFor(Step.READ_GIVEN_LEAD.request().atPriority(1).willReturn(notFound()));

        WebhookAnswer answer = LambdaEvents.invoke(LambdaEvents.identify(IdentifyScenario.eventBody()));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("merged_lead_ids")).hasSize(2);
        assertThat(answer.body().get("skipped").toString())
                .isEqualTo("[{\"id\":\"" + LEAD_GIVEN + "\",\"reason\":\"gone\"}]");
    }

    @Test
    void givenLeadIdOfTheUserItselfIsSkipped() {
        ObjectNode body = IdentifyScenario.eventBody().put("lead_id", USER);

        WebhookAnswer answer = LambdaEvents.invoke(LambdaEvents.identify(body));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("skipped").toString())
                .isEqualTo("[{\"id\":\"" + USER + "\",\"reason\":\"is_the_user\"}]");
        assertThat(intercom.getAllServeEvents()).noneMatch(e -> e.getRequest().getUrl().equals("/contacts/" + USER)
                && e.getRequest().getMethod().getName().equals("GET"));
    }

    @Test
    void conflictOnCreateNamingAnArchivedUserUnarchivesAndUsesIt() {
        IdentifyScenario.stubArchivedPerson(intercom);
        String archivedUser = IntercomJson.user(ARCHIVED_USER, IdentifyScenario.EMAIL, "user-1001", Map.of()).toString();
        intercom.stubFor(Step.MERGE.request().atPriority(1).willReturn(okJson(archivedUser)));
        intercom.stubFor(com.github.tomakehurst.wiremock.client.WireMock.put("/contacts/" + ARCHIVED_USER)
                .willReturn(okJson(archivedUser)));

        WebhookAnswer answer = LambdaEvents.invoke(LambdaEvents.identify(IdentifyScenario.eventBody()));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("user_id").asText()).isEqualTo(ARCHIVED_USER);
        assertThat(answer.body().get("user_created").asBoolean()).isFalse();
        // the sign-up's one search gave the leads: no second search
        assertThat(steps()).startsWith(null, Step.FIND_USER, Step.SEARCH_EMAIL, Step.READ_GIVEN_LEAD, Step.CREATE,
                Step.UNARCHIVE, Step.READ_CONFLICTING).doesNotContain(Step.SEARCH_LEADS);
        assertThat(intercom.getAllServeEvents()).anyMatch(e -> e.getRequest().getBodyAsString()
                .equals("{\"from\":\"" + LEAD_OLD + "\",\"into\":\"" + ARCHIVED_USER + "\"}"));
    }

    @Test
    void conflictNamingAUserOfAnotherExternalIdIsAnIdentityConflict() {
        IdentifyScenario.stubArchivedPerson(intercom);
        intercom.stubFor(Step.READ_CONFLICTING.request().atPriority(1).willReturn(okJson(
                IntercomJson.user(ARCHIVED_USER, IdentifyScenario.EMAIL, "someone-else", Map.of()).toString())));

        WebhookAnswer answer = LambdaEvents.invoke(LambdaEvents.identify(IdentifyScenario.eventBody()));

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.errorCode()).isEqualTo("identity_conflict");
        assertThat(steps()).doesNotContain(Step.SEARCH_LEADS, Step.MERGE);
    }

    @Test
    void attributeIntercomDoesNotKnowOnTheFinalUpdateIsNamed() {
        intercom.stubFor(Step.APPLY_EVENT.request().atPriority(1).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody(IntercomJson.error("parameter_invalid", "Custom attribute 'plan' does not exist").toString())));

        WebhookAnswer answer = LambdaEvents.invoke(LambdaEvents.identify(IdentifyScenario.eventBody()));

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errorCode()).isEqualTo("unknown_custom_attribute");
        assertThat(answer.errorField()).isEqualTo("custom_attributes.plan");
    }

    @Test
    void hangingIntercomIsAnsweredWithin5SecondsOnTheNotificationRoute() throws Exception {
        intercom.stubFor(Step.SEARCH_LEADS.request().atPriority(1).willReturn(okJson(IntercomJson.page().toString())
                .withFixedDelay(1_500)));
        ObjectNode body = LambdaEvents.body(LambdaEvents.NOTIFICATION).put("id", "notif_hanging-intercom-1");
        APIGatewayV2HTTPEvent event = LAMBDA_JSON.treeToValue(LambdaEvents.notification(body),
                APIGatewayV2HTTPEvent.class);

        // timed at the handler, with the minutes a real Lambda would have left: the mock event server's own
        // overhead on a busy machine is not Intercom's 5 seconds
        long started = System.nanoTime();
        APIGatewayV2HTTPResponse answer = handler.handleWebhook(event, new TestLambdaContext("IdentifyMergeFunction", Duration.ofMinutes(5)));
        long millis = (System.nanoTime() - started) / 1_000_000;

        // acknowledged at once and queued: Intercom would retry it only once
        assertThat(answer.getStatusCode()).isEqualTo(200);
        assertThat(answer.getBody()).contains("\"status\":\"queued\"", "\"notification_id\":\"notif_hanging-intercom-1\"");
        assertThat(queue.waiting()).extracting(DeferredDelivery::route).containsExactly("intercom-notification");
        assertThat(millis).isLessThan(5_000);
        assertThat(steps()).containsOnly(Step.SEARCH_LEADS);
    }

    private static ResponseDefinitionBuilder notFound() {
        return aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                .withBody(IntercomJson.error("not_found", "User Not Found").toString());
    }

    private static com.github.tomakehurst.wiremock.client.MappingBuilder mergeOf(String leadId) {
        return Step.MERGE.request().withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath(
                "$.from", com.github.tomakehurst.wiremock.client.WireMock.equalTo(leadId)));
    }

    /** The step of each request Intercom received, oldest first (null: none of the flow's steps). */
    private List<Step> steps() {
        List<Step> steps = new ArrayList<>();
        for (ServeEvent event : intercom.getAllServeEvents()) {
            steps.add(Stream.of(Step.values()).filter(s -> s.matches(event.getRequest())).findFirst().orElse(null));
        }
        Collections.reverse(steps);
        return steps;
    }
}
