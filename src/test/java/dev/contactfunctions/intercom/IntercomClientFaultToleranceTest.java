package dev.contactfunctions.intercom;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.contactfunctions.testsupport.IntercomStubs.CONTACT_ID;
import static dev.contactfunctions.testsupport.IntercomStubs.USER_ID;
import static dev.contactfunctions.testsupport.IntercomStubs.contact;
import static dev.contactfunctions.testsupport.IntercomStubs.error;
import static dev.contactfunctions.testsupport.IntercomStubs.intercom;
import static dev.contactfunctions.testsupport.IntercomStubs.intercomJson;
import static dev.contactfunctions.testsupport.IntercomStubs.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.contactfunctions.intercom.IntercomException.RateLimited;
import dev.contactfunctions.intercom.IntercomException.ServerError;
import dev.contactfunctions.intercom.IntercomException.Unavailable;
import dev.contactfunctions.intercom.IntercomException.Unavailable.Reason;
import dev.contactfunctions.intercom.model.Contact;
import dev.contactfunctions.intercom.model.ContactRequest;
import dev.contactfunctions.intercom.model.Tag;
import dev.contactfunctions.invocation.InvocationDeadline;
import dev.contactfunctions.testsupport.IntercomWireMock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Retries, waits, timeouts, the invocation budget and the circuit breaker, with the short timings of
 * {@code src/test/resources/application.properties} (backoff 5-20 ms, jitter 5 ms, read timeout 1 s) and the
 * defaults otherwise (3 retries, breaker over 20 calls at 50 %, budget reserve 1.5 s).
 */
@QuarkusTest
@WithTestResource(IntercomWireMock.class)
class IntercomClientFaultToleranceTest extends IntercomClientOverWireMock {

    private static final ContactRequest LEAD = ContactRequest.builder().role(Contact.ROLE_LEAD)
            .email("jane@example.com").build();
    private static final ContactRequest USER = ContactRequest.builder().role(Contact.ROLE_USER).externalId("u-42")
            .email("jane@example.com").build();
    private static final String TAGS = "{\"type\":\"list\",\"data\":[{\"type\":\"tag\",\"id\":\"81\",\"name\":\"vip\"}]}";
    private static final Duration BUDGET_RESERVE = Duration.ofMillis(1500);

    @Inject
    CallBudget budget;

    /** Answers in turn, the last one for every later call. */
    private void stubInTurn(Supplier<MappingBuilder> request, ResponseDefinitionBuilder... answers) {
        String state = Scenario.STARTED;
        for (int i = 0; i < answers.length; i++) {
            String next = i == answers.length - 1 ? state : "answer " + (i + 1);
            wireMock.stubFor(request.get().inScenario("in turn").whenScenarioStateIs(state)
                    .willReturn(answers[i]).willSetStateTo(next));
            state = next;
        }
    }

    private static Instant nextWholeSecond() {
        return Instant.ofEpochSecond(Instant.now().getEpochSecond() + 1);
    }

    private List<Instant> arrivals() {
        return wireMock.findAll(anyRequestedFor(anyUrl())).stream()
                .map(LoggedRequest::getLoggedDate).map(java.util.Date::toInstant)
                .sorted(Comparator.naturalOrder()).toList();
    }

    // ---- retries

    @Test
    void serverErrorsAreRetriedUntilTheCallSucceeds() {
        stubInTurn(() -> intercom(get(urlEqualTo("/tags"))),
                error(503, "service_unavailable", "Service Unavailable"),
                error(500, "server_error", "Server Error"),
                json(200, TAGS));

        assertThat(client.listTags()).extracting(Tag::id).containsExactly("81");
        assertThat(requestsReceived()).isEqualTo(3);
    }

    @Test
    void serverErrorsGiveUpAfterTheConfiguredRetries() {
        wireMock.stubFor(intercom(get(urlEqualTo("/tags"))).willReturn(error(503, "service_unavailable", "down")));

        ServerError error = catchThrowableOfType(ServerError.class, client::listTags);

        assertThat(error.status()).isEqualTo(503);
        assertThat(error.isTransient()).isTrue();
        assertThat(requestsReceived()).isEqualTo(4);
    }

    /**
     * A connection reset, or closed in the middle of an answer (its status sent, its body not: the REST client then
     * throws Vert.x's own {@code HttpClosedException}, not wrapped), is an I/O error.
     */
    @ParameterizedTest
    @EnumSource(value = Fault.class, names = { "CONNECTION_RESET_BY_PEER", "MALFORMED_RESPONSE_CHUNK" })
    void aConnectionLostUnderAReadIsRetried(Fault fault) {
        stubInTurn(() -> intercom(get(urlEqualTo("/contacts/" + CONTACT_ID))),
                aResponse().withFault(fault),
                json(200, contact(CONTACT_ID, "user", "jane@example.com")));

        assertThat(client.findContact(CONTACT_ID)).isPresent();
        assertThat(requestsReceived()).isEqualTo(2);
    }

    @Test
    void aConnectionThatKeepsFailingIsUnavailable() {
        wireMock.stubFor(intercom(get(urlEqualTo("/tags"))).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        Unavailable unavailable = catchThrowableOfType(Unavailable.class, client::listTags);

        assertThat(unavailable.reason()).isEqualTo(Reason.IO_ERROR);
        assertThat(unavailable.isTransient()).isTrue();
        assertThat(requestsReceived()).isEqualTo(4);
    }

    @Test
    void aSlowAnswerTimesOutAndTheReadIsRetried() {
        stubInTurn(() -> intercom(get(urlEqualTo("/tags"))),
                json(200, TAGS).withFixedDelay(1600),
                json(200, TAGS));

        assertThat(client.listTags()).hasSize(1);
        assertThat(requestsReceived()).isEqualTo(2);
    }

    @Test
    void aTimedOutLeadCreateIsNotRepeated() {
        wireMock.stubFor(intercomJson(post(urlEqualTo("/contacts")))
                .willReturn(json(200, contact(CONTACT_ID, "lead", "jane@example.com")).withFixedDelay(1600)));

        Unavailable unavailable = catchThrowableOfType(Unavailable.class, () -> client.createContact(LEAD));

        assertThat(unavailable.reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(requestsReceived()).isEqualTo(1);
    }

    // ---- create and merge

    @Test
    void aLeadCreateIsNotRetriedOnAServerError() {
        stubInTurn(() -> intercomJson(post(urlEqualTo("/contacts"))),
                error(503, "service_unavailable", "down"),
                json(200, contact(CONTACT_ID, "lead", "jane@example.com")));

        catchThrowableOfType(ServerError.class, () -> client.createContact(LEAD));

        // leads may share an email, so a blind repeat could make a second lead
        assertThat(requestsReceived()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = { "CONNECTION_RESET_BY_PEER", "MALFORMED_RESPONSE_CHUNK" })
    void aLeadCreateIsAnUnknownOutcomeNotRepeatedAfterALostConnection(Fault fault) {
        wireMock.stubFor(intercomJson(post(urlEqualTo("/contacts")))
                .willReturn(aResponse().withFault(fault)));

        Unavailable unavailable = catchThrowableOfType(Unavailable.class, () -> client.createContact(LEAD));

        assertThat(unavailable.reason()).isEqualTo(Reason.IO_ERROR);
        assertThat(unavailable.mayHaveWritten()).isTrue();
        assertThat(requestsReceived()).isEqualTo(1);
    }

    @Test
    void aLeadCreateIsRetriedAfterARateLimitBecauseIntercomDidNotProcessIt() {
        stubInTurn(() -> intercomJson(post(urlEqualTo("/contacts"))),
                error(429, "rate_limit_exceeded", "Exceeded rate limit of 167 in 10_seconds")
                        .withHeader("X-RateLimit-Reset", String.valueOf(Instant.now().getEpochSecond())),
                json(200, contact(CONTACT_ID, "lead", "jane@example.com")));

        assertThat(client.createContact(LEAD).id()).isEqualTo(CONTACT_ID);
        assertThat(requestsReceived()).isEqualTo(2);
    }

    @Test
    void aUserCreateIsRetriedOnAServerErrorBecauseARepeatAnswers409() {
        stubInTurn(() -> intercomJson(post(urlEqualTo("/contacts"))),
                error(503, "service_unavailable", "down"),
                json(200, contact(USER_ID, "user", "jane@example.com")));

        assertThat(client.createContact(USER).id()).isEqualTo(USER_ID);
        assertThat(requestsReceived()).isEqualTo(2);
    }

    @Test
    void aMergeIsRetriedOnAServerErrorBecauseARepeatAnswers404() {
        stubInTurn(() -> intercomJson(post(urlEqualTo("/contacts/merge"))),
                error(500, "server_error", "Server Error"),
                json(200, contact(USER_ID, "user", "jane@example.com")));

        assertThat(client.mergeLeadIntoUser(CONTACT_ID, USER_ID).id()).isEqualTo(USER_ID);
        assertThat(requestsReceived()).isEqualTo(2);
    }

    // ---- rate limits

    @Test
    void aRateLimitIsRetriedNoEarlierThanTheWindowReset() {
        Instant reset = nextWholeSecond();
        stubInTurn(() -> intercom(get(urlEqualTo("/tags"))),
                error(429, "rate_limit_exceeded", "Exceeded rate limit of 167 in 10_seconds")
                        .withHeader("X-RateLimit-Limit", "167")
                        .withHeader("X-RateLimit-Remaining", "0")
                        .withHeader("X-RateLimit-Reset", String.valueOf(reset.getEpochSecond())),
                json(200, TAGS));

        assertThat(client.listTags()).hasSize(1);

        List<Instant> arrivals = arrivals();
        assertThat(arrivals).hasSize(2);
        assertThat(arrivals.get(1)).isAfterOrEqualTo(reset).isBefore(reset.plusMillis(900));
    }

    @Test
    void aRateLimitResettingPastTheBudgetFailsAtOnce() {
        Instant reset = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 5);
        wireMock.stubFor(intercom(get(urlEqualTo("/tags"))).willReturn(
                error(429, "rate_limit_exceeded", "Exceeded rate limit of 167 in 10_seconds")
                        .withHeader("X-RateLimit-Reset", String.valueOf(reset.getEpochSecond()))));

        RateLimited limited;
        try (InvocationDeadline.Scope invocation = budget.open(BUDGET_RESERVE.plusSeconds(2))) {
            limited = catchThrowableOfType(RateLimited.class, client::listTags);
        }

        assertThat(limited.resetAt()).contains(reset);
        assertThat(requestsReceived()).isEqualTo(1);
    }

    @Test
    void aNearlySpentWindowMakesTheNextCallWaitForTheReset() {
        Instant reset = nextWholeSecond();
        wireMock.stubFor(intercom(get(urlEqualTo("/tags"))).willReturn(json(200, TAGS)
                .withHeader("X-RateLimit-Limit", "167")
                .withHeader("X-RateLimit-Remaining", "2") // the default reserve
                .withHeader("X-RateLimit-Reset", String.valueOf(reset.getEpochSecond()))));

        client.listTags();
        client.listTags();

        List<Instant> arrivals = arrivals();
        assertThat(arrivals.get(0)).isBefore(reset);
        assertThat(arrivals.get(1)).isAfterOrEqualTo(reset).isBefore(reset.plusMillis(900));
    }

    @Test
    void aWindowWithCallsToSpareDoesNotSlowCallsDown() {
        Instant reset = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 2);
        wireMock.stubFor(intercom(get(urlEqualTo("/tags"))).willReturn(json(200, TAGS)
                .withHeader("X-RateLimit-Limit", "167")
                .withHeader("X-RateLimit-Remaining", "3")
                .withHeader("X-RateLimit-Reset", String.valueOf(reset.getEpochSecond()))));

        client.listTags();
        client.listTags();

        assertThat(arrivals()).hasSize(2).allSatisfy(arrival -> assertThat(arrival).isBefore(reset));
    }

    @Test
    void aWindowResettingPastTheBudgetFailsWithoutSending() {
        Instant reset = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 5);
        wireMock.stubFor(intercom(get(urlEqualTo("/tags"))).willReturn(json(200, TAGS)
                .withHeader("X-RateLimit-Limit", "167")
                .withHeader("X-RateLimit-Remaining", "0")
                .withHeader("X-RateLimit-Reset", String.valueOf(reset.getEpochSecond()))));
        client.listTags();

        RateLimited limited;
        try (InvocationDeadline.Scope invocation = budget.open(BUDGET_RESERVE.plusSeconds(2))) {
            limited = catchThrowableOfType(RateLimited.class, client::listTags);
        }

        assertThat(limited.resetAt()).hasValueSatisfying(at -> assertThat(at).isAfterOrEqualTo(reset));
        assertThat(requestsReceived()).isEqualTo(1);
    }

    // ---- the invocation budget

    @Test
    void nothingIsSentOnceTheBudgetIsSpent() {
        wireMock.stubFor(intercom(get(urlEqualTo("/tags"))).willReturn(json(200, TAGS)));

        Unavailable unavailable;
        try (InvocationDeadline.Scope invocation = budget.open(Duration.ofMillis(200))) {
            unavailable = catchThrowableOfType(Unavailable.class, client::listTags);
        }

        assertThat(unavailable.reason()).isEqualTo(Reason.BUDGET_SPENT);
        assertThat(requestsReceived()).isZero();
    }

    @Test
    void anAttemptIsCutToTheTimeLeftAndNotRetriedOnceTheBudgetIsSpent() {
        wireMock.stubFor(intercom(get(urlEqualTo("/tags")))
                .willReturn(error(503, "service_unavailable", "down").withFixedDelay(400)));

        Unavailable unavailable;
        long started = System.nanoTime();
        try (InvocationDeadline.Scope invocation = budget.open(BUDGET_RESERVE.plusMillis(300))) {
            unavailable = catchThrowableOfType(Unavailable.class, client::listTags);
        }
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        // the client's read timeout would have waited for the 400 ms answer; the budget had 300 ms
        assertThat(unavailable.reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(tookMillis).isLessThan(400);
        assertThat(requestsReceived()).isEqualTo(1);
    }

    // ---- the circuit breaker

    @Test
    void aBurstOfServerErrorsOpensTheCircuit() {
        wireMock.stubFor(intercom(get(urlEqualTo("/tags"))).willReturn(error(503, "service_unavailable", "down")));

        // 5 calls of 4 attempts fill the breaker's window of 20 with failures
        for (int i = 0; i < 5; i++) {
            catchThrowableOfType(ServerError.class, client::listTags);
        }
        Unavailable open = catchThrowableOfType(Unavailable.class, client::listTags);

        assertThat(open.reason()).isEqualTo(Reason.CIRCUIT_OPEN);
        assertThat(open.isTransient()).isTrue();
        assertThat(requestsReceived()).isEqualTo(20);
    }

    @Test
    void answersThatAreNotOutagesKeepTheCircuitClosed() {
        wireMock.stubFor(intercom(get(urlEqualTo("/contacts/" + CONTACT_ID)))
                .willReturn(error(404, "not_found", "User Not Found")));

        for (int i = 0; i < 25; i++) {
            assertThat(client.findContact(CONTACT_ID)).isEmpty();
        }

        assertThat(requestsReceived()).isEqualTo(25);
    }
}
