package dev.contactfunctions.leadcapture;

import dev.contactfunctions.testsupport.IntercomStubs;
import dev.contactfunctions.testsupport.LedgerSeeds;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.moreThanOrExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.contactfunctions.testsupport.IntercomStubs.contact;
import static dev.contactfunctions.testsupport.IntercomStubs.error;
import static dev.contactfunctions.testsupport.IntercomStubs.ok;
import static dev.contactfunctions.testsupport.IntercomStubs.searchPage;
import static dev.contactfunctions.testsupport.IntercomStubs.tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.matching.UrlPathPattern;

import dev.contactfunctions.testsupport.TestPseudonyms;
import dev.contactfunctions.deferral.InMemoryDeferralQueue;
import dev.contactfunctions.ledger.DeliveryLedger;
import dev.contactfunctions.ledger.DeliveryStart;
import dev.contactfunctions.ledger.IdentityLedger;
import dev.contactfunctions.testsupport.IntercomWireMock;
import dev.contactfunctions.testsupport.WebhookAnswer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Every Intercom failure at every step of a delivery: unreachable within the budget -> 202, the lead waits on the
 * deferral queue; Intercom refusing what we send -> 502 naming Intercom's answer. Never a 200 that lost the lead.
 */
@QuarkusTest
@TestProfile(LeadCaptureProfile.class)
@WithTestResource(IntercomWireMock.class)
class LeadCaptureIntercomFailureTest extends LeadCaptureOverWireMock {

    private static final String CREATED = "c0ffee01";
    private static final String KNOWN = "c0ffee02";
    private static final String ARCHIVED = "c0ffee03";
    private static final String REMEMBERED = "c0ffee04";

    @Inject
    IdentityLedger identities;

    @Inject
    DeliveryLedger deliveries;

    @Inject
    InMemoryDeferralQueue queue;

    private String email;
    private String key;

    @BeforeEach
    void reset() {
        queue.clear();
        email = LeadCaptureEvents.uniqueEmail("ada");
        key = "failure-" + UUID.randomUUID();
    }

    /** The flows that reach each step. */
    enum Flow {
        NEW_LEAD, KNOWN_LEAD, ARCHIVED_CONFLICT, REMEMBERED
    }

    enum Step {
        LIST_ATTRIBUTES(Flow.NEW_LEAD, "GET", "/data_attributes"),
        CREATE_ATTRIBUTE(Flow.NEW_LEAD, "POST", "/data_attributes"),
        SEARCH(Flow.NEW_LEAD, "POST", "/contacts/search"),
        CREATE_CONTACT(Flow.NEW_LEAD, "POST", "/contacts"),
        LIST_TAGS(Flow.NEW_LEAD, "GET", "/tags"),
        CREATE_TAG(Flow.NEW_LEAD, "POST", "/tags"),
        TAG_CONTACT(Flow.NEW_LEAD, "POST", "/contacts/" + CREATED + "/tags"),
        UPDATE_CONTACT(Flow.KNOWN_LEAD, "PUT", "/contacts/" + KNOWN),
        UNARCHIVE(Flow.ARCHIVED_CONFLICT, "POST", "/contacts/" + ARCHIVED + "/unarchive"),
        READ_CONFLICTING(Flow.ARCHIVED_CONFLICT, "GET", "/contacts/" + ARCHIVED),
        READ_REMEMBERED(Flow.REMEMBERED, "GET", "/contacts/" + REMEMBERED);

        final Flow flow;
        final String method;
        final String path;

        Step(Flow flow, String method, String path) {
            this.flow = flow;
            this.method = method;
            this.path = path;
        }

        MappingBuilder stub() {
            UrlPathPattern url = urlPathEqualTo(path);
            return switch (method) {
                case "GET" -> get(url);
                case "PUT" -> put(url);
                default -> post(url);
            };
        }

        RequestPatternBuilder requested() {
            return new RequestPatternBuilder(com.github.tomakehurst.wiremock.http.RequestMethod.fromString(method),
                    urlPathEqualTo(path));
        }
    }

    enum Failure {
        SERVER_ERROR(202, null) {
            @Override
            ResponseDefinitionBuilder response() {
                return aResponse().withStatus(502).withHeader("Content-Type", "text/html")
                        .withBody("<html><body><h1>502 Bad Gateway</h1></body></html>");
            }
        },
        CONNECTION_RESET(202, null) {
            @Override
            ResponseDefinitionBuilder response() {
                return aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER);
            }
        },
        RATE_LIMITED_PAST_THE_BUDGET(202, null) {
            @Override
            ResponseDefinitionBuilder response() {
                return error(429, "rate_limit_exceeded", "Exceeded rate limit of 167 in 10_seconds")
                        .withHeader("X-RateLimit-Reset", Long.toString(Instant.now().getEpochSecond() + 60));
            }
        },
        UNAUTHORIZED(502, "intercom_rejected") {
            @Override
            ResponseDefinitionBuilder response() {
                return error(401, "unauthorized", "Access Token Invalid");
            }
        },
        PLAN_RESTRICTED(502, "intercom_rejected") {
            @Override
            ResponseDefinitionBuilder response() {
                return error(403, "api_plan_restricted", "Active subscription needed.");
            }
        };

        final int status;
        final String code;

        Failure(int status, String code) {
            this.status = status;
            this.code = code;
        }

        abstract ResponseDefinitionBuilder response();
    }

    static Stream<Arguments> everyFailureAtEveryStep() {
        List<Arguments> cases = new ArrayList<>();
        for (Step step : Step.values()) {
            for (Failure failure : Failure.values()) {
                cases.add(Arguments.of(step, failure));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{1} at {0}")
    @MethodSource("everyFailureAtEveryStep")
    void failureIsQueuedWhenIntercomIsUnreachableAndAnsweredWhenItRefuses(Step step, Failure failure) {
        stubFlow(step.flow);
        wireMock.stubFor(step.stub().atPriority(1).willReturn(failure.response()));

        WebhookAnswer answer = LeadCaptureEvents.json().email(email).idempotencyKey(key).post();

        wireMock.verify(moreThanOrExactly(1), step.requested());
        assertThat(answer.status()).isEqualTo(failure.status);
        assertThat(answer.errorCode()).isEqualTo(failure.code);
        if (failure.status == 202) {
            assertQueued(answer);
        } else {
            assertThat(answer.body().path("error").path("message").asText()).contains("HTTP " +
                    (failure == Failure.UNAUTHORIZED ? "401" : "403")).contains("not saved");
            assertThat(queue.waiting()).isEmpty();
            assertThat(deliveries.startDelivery(LeadCaptureDeliveries.LEDGER_PREFIX + key, Duration.ofSeconds(1)))
                    .as("a refused delivery is abandoned: the sender's retry starts afresh")
                    .isInstanceOf(DeliveryStart.Started.class);
        }
    }

    @Test
    void leadCreateThatFailsIsNotRepeatedBecauseARepeatCouldDuplicateTheLead() {
        stubFlow(Flow.NEW_LEAD);
        wireMock.stubFor(post(urlPathEqualTo("/contacts")).atPriority(1).willReturn(error(500, "server_error", "oops")));

        WebhookAnswer answer = LeadCaptureEvents.json().email(email).idempotencyKey(key).post();

        assertQueued(answer);
        wireMock.verify(exactly(1), postRequestedFor(urlPathEqualTo("/contacts")));
    }

    @Test
    void searchIsRetriedOnServerErrorsAndTheDeliverySucceeds() {
        stubFlow(Flow.NEW_LEAD);
        wireMock.stubFor(post(urlPathEqualTo("/contacts/search")).atPriority(1).inScenario("flaky")
                .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("recovered"));

        WebhookAnswer answer = LeadCaptureEvents.json().email(email).post();

        assertThat(answer.status()).isEqualTo(200);
        wireMock.verify(exactly(2), postRequestedFor(urlPathEqualTo("/contacts/search")));
    }

    @Test
    void retryAfterAFailureBehindTheCreateLandsOnTheSameLead() {
        stubFlow(Flow.NEW_LEAD);
        wireMock.stubFor(Step.TAG_CONTACT.stub().atPriority(1).willReturn(aResponse().withStatus(500)));
        WebhookAnswer failed = LeadCaptureEvents.json().email(email).post();
        everyRequestSentToIntercomMatchesItsDescription(); // before the first phase's requests are forgotten
        wireMock.resetAll();
        stubFlow(Flow.NEW_LEAD);
        wireMock.stubFor(get(urlPathEqualTo("/contacts/" + CREATED))
                .willReturn(ok(contact(CREATED, "lead", email, 1773144000))));
        wireMock.stubFor(put(urlPathEqualTo("/contacts/" + CREATED))
                .willReturn(ok(contact(CREATED, "lead", email, 1773144000))));

        WebhookAnswer retried = LeadCaptureEvents.json().email(email).post();

        assertThat(failed.status()).isEqualTo(202);
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.body().path("contact_id").asText()).isEqualTo(CREATED);
        wireMock.verify(exactly(0), postRequestedFor(urlPathEqualTo("/contacts")));
    }

    @Test
    void conflictThatNamesNoContactIsAnsweredAsIntercomsRefusal() {
        stubFlow(Flow.NEW_LEAD);
        wireMock.stubFor(post(urlPathEqualTo("/contacts")).atPriority(1)
                .willReturn(error(409, "conflict", "Multiple existing users match this email address")));

        WebhookAnswer answer = LeadCaptureEvents.json().email(email).post();

        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.errorCode()).isEqualTo("intercom_rejected");
        assertThat(answer.body().path("error").path("message").asText()).contains("HTTP 409");
    }

    @Test
    void unexpectedRefusalOfTheWriteIsA502ThatNeverEchoesTheEmail() {
        stubFlow(Flow.KNOWN_LEAD);
        wireMock.stubFor(put(urlPathEqualTo("/contacts/" + KNOWN)).atPriority(1)
                .willReturn(error(400, "parameter_invalid", "Email " + email + " is not valid here")));

        WebhookAnswer answer = LeadCaptureEvents.json().email(email).post();

        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.body().toString()).contains("parameter_invalid").doesNotContain(email);
    }

    @Test
    void attributeIntercomWillNotCreateIsA422NamingIt() {
        stubFlow(Flow.NEW_LEAD);
        wireMock.stubFor(post(urlPathEqualTo("/data_attributes")).atPriority(1).willReturn(error(400,
                "parameter_invalid", "Your name for this attribute must only contain alphanumeric characters")));

        WebhookAnswer answer = LeadCaptureEvents.json().email(email).post();

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errorCode()).isEqualTo("attribute_not_creatable");
        assertThat(answer.errorField()).isEqualTo("custom_attributes.seats");
        wireMock.verify(exactly(0), postRequestedFor(urlPathEqualTo("/contacts")));
    }

    /** 202 {status: queued, delivery_id: the key}; the lead waits on the queue and the ledger says queued. */
    private void assertQueued(WebhookAnswer answer) {
        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.body().path("status").asText()).isEqualTo("queued");
        assertThat(answer.body().path("delivery_id").asText()).isEqualTo(key);
        assertThat(queue.waiting()).singleElement().satisfies(deferred -> {
            assertThat(deferred.deliveryId()).isEqualTo(LeadCaptureDeliveries.LEDGER_PREFIX + key);
            assertThat(deferred.identity()).isEqualTo(IdentityLedger.email(TestPseudonyms.LOCAL, email));
            assertThat(deferred.payload().path("email").asText()).isEqualTo(email);
        });
        assertThat(deliveries.outcomeOf(LeadCaptureDeliveries.LEDGER_PREFIX + key)).hasValueSatisfying(
                recorded -> assertThat(recorded).contains("\"status\":\"queued\""));
    }

    /** Stubs a flow that succeeds; a test then overrides one step with a failure at a higher priority. */
    private void stubFlow(Flow flow) {
        List<String> present = new ArrayList<>(IntercomStubs.EVENT_ATTRIBUTES);
        present.remove("seats"); // so the attribute is created
        wireMock.stubFor(get(urlPathEqualTo("/data_attributes")).willReturn(ok(IntercomStubs.dataAttributes(present))));
        wireMock.stubFor(post(urlPathEqualTo("/data_attributes"))
                .willReturn(ok(IntercomStubs.dataAttribute("seats", "integer"))));
        wireMock.stubFor(get(urlPathEqualTo("/tags")).willReturn(ok(IntercomStubs.tagList(tag("102", "spring-launch")))));
        wireMock.stubFor(post(urlPathEqualTo("/tags")).willReturn(ok(tag("301", "pricing-page"))));
        wireMock.stubFor(post(urlPathEqualTo("/contacts/search")).willReturn(ok(searchPage())));
        wireMock.stubFor(any(urlPathEqualTo("/contacts/" + CREATED + "/tags")).willReturn(ok(tag("301", "x"))));
        switch (flow) {
            case NEW_LEAD -> wireMock.stubFor(post(urlPathEqualTo("/contacts"))
                    .willReturn(ok(contact(CREATED, "lead", email, 1773144000))));
            case KNOWN_LEAD -> {
                wireMock.stubFor(post(urlPathEqualTo("/contacts/search"))
                        .willReturn(ok(searchPage(contact(KNOWN, "lead", email, 1773000000)))));
                wireMock.stubFor(put(urlPathEqualTo("/contacts/" + KNOWN))
                        .willReturn(ok(contact(KNOWN, "lead", email, 1773144000))));
                wireMock.stubFor(post(urlPathEqualTo("/contacts/" + KNOWN + "/tags")).willReturn(ok(tag("301", "x"))));
            }
            case ARCHIVED_CONFLICT -> {
                wireMock.stubFor(post(urlPathEqualTo("/contacts")).willReturn(error(409, "conflict",
                        "An archived contact matching those details already exists with id=" + ARCHIVED)));
                wireMock.stubFor(post(urlPathEqualTo("/contacts/" + ARCHIVED + "/unarchive"))
                        .willReturn(ok("{\"type\":\"contact\",\"id\":\"" + ARCHIVED + "\",\"archived\":false}")));
                wireMock.stubFor(get(urlPathEqualTo("/contacts/" + ARCHIVED))
                        .willReturn(ok(contact(ARCHIVED, "lead", email, 1773000000))));
                wireMock.stubFor(put(urlPathEqualTo("/contacts/" + ARCHIVED))
                        .willReturn(ok(contact(ARCHIVED, "lead", email, 1773144000))));
                wireMock.stubFor(post(urlPathEqualTo("/contacts/" + ARCHIVED + "/tags")).willReturn(ok(tag("301", "x"))));
            }
            case REMEMBERED -> {
                LedgerSeeds.remembered(identities, IdentityLedger.email(TestPseudonyms.LOCAL, email), REMEMBERED);
                wireMock.stubFor(get(urlPathEqualTo("/contacts/" + REMEMBERED))
                        .willReturn(ok(contact(REMEMBERED, "lead", email, 1773000000))));
                wireMock.stubFor(put(urlPathEqualTo("/contacts/" + REMEMBERED))
                        .willReturn(ok(contact(REMEMBERED, "lead", email, 1773144000))));
                wireMock.stubFor(post(urlPathEqualTo("/contacts/" + REMEMBERED + "/tags")).willReturn(ok(tag("301", "x"))));
            }
        }
        wireMock.verify(exactly(0), anyRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.anyUrl()));
    }
}
