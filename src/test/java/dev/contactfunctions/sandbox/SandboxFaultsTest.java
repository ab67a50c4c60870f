package dev.contactfunctions.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.contactfunctions.sandbox.SandboxHttp.Reply;

/** Injected faults, added latency, and the request counters. */
class SandboxFaultsTest {

    @RegisterExtension
    final RunningSandbox running = new RunningSandbox();
    private IntercomSandbox sandbox;
    private SandboxHttp http;

    @BeforeEach
    void start() {
        sandbox = running.sandbox();
        http = running.http();
    }

    @Test
    void aFaultForTheNextCallsPlaysThenTheEndpointAnswersNormally() {
        sandbox.faults().next(2, Endpoint.CREATE_CONTACT, Fault.status(503));

        Reply first = http.post("/contacts", "{\"email\":\"ada@example.com\"}");
        Reply second = http.post("/contacts", "{\"email\":\"ada@example.com\"}");
        Reply third = http.post("/contacts", "{\"email\":\"ada@example.com\"}");

        assertThat(first.status()).isEqualTo(503);
        assertThat(first.errorCode()).isEqualTo("service_unavailable");
        assertThat(first.header("X-RateLimit-Limit")).isNull();
        assertThat(second.status()).isEqualTo(503);
        assertThat(third.status()).isEqualTo(200);
        assertThat(sandbox.contacts()).hasSize(1);
        assertThat(sandbox.faults().pending()).isZero();
    }

    @Test
    void aFaultHitsOnlyItsEndpoint() {
        sandbox.faults().next(1, Endpoint.SEARCH_CONTACTS, Fault.status(500));

        assertThat(http.get("/contacts").status()).isEqualTo(200);
        assertThat(http.search("{\"field\":\"role\",\"operator\":\"=\",\"value\":\"user\"}").status()).isEqualTo(500);
    }

    @Test
    void anHtmlBodyIsServedAsIs() {
        sandbox.faults().next(1, Endpoint.GET_CONTACT,
                Fault.html(502, "<html><body><h1>502 Bad Gateway</h1></body></html>"));

        Reply reply = http.get("/contacts/0123456789abcdef01234567");

        assertThat(reply.status()).isEqualTo(502);
        assertThat(reply.header("Content-Type")).startsWith("text/html");
        assertThat(reply.body()).isEqualTo("<html><body><h1>502 Bad Gateway</h1></body></html>");
    }

    @Test
    void anAlwaysFaultPlaysUntilCleared() {
        sandbox.faults().always(Endpoint.LIST_TAGS, Fault.error(500, "server_error", "boom"));

        assertThat(http.get("/tags").status()).isEqualTo(500);
        assertThat(http.get("/tags").errorMessage()).isEqualTo("boom");
        sandbox.faults().clear();
        assertThat(http.get("/tags").status()).isEqualTo(200);
    }

    @Test
    void faultsOnAnyEndpointQueueInOrder() {
        sandbox.faults().nextOnAny(1, Fault.status(500)).nextOnAny(1, Fault.status(429));

        assertThat(http.get("/tags").status()).isEqualTo(500);
        assertThat(http.get("/segments").status()).isEqualTo(429);
        assertThat(http.get("/segments").status()).isEqualTo(200);
    }

    @Test
    void aDroppedConnectionIsAnIoErrorForTheClientAndCountsAsStatusZero() {
        sandbox.faults().next(1, Endpoint.CREATE_CONTACT, Fault.dropConnection());

        assertThatThrownBy(() -> http.post("/contacts", "{\"email\":\"ada@example.com\"}"))
                .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(IOException.class);
        assertThat(sandbox.stats().calls(Endpoint.CREATE_CONTACT, 0)).isEqualTo(1);
        assertThat(sandbox.contacts()).isEmpty();
    }

    @Test
    void aDelayFaultHoldsTheAnswerThenAnswersNormally() {
        sandbox.faults().next(1, Endpoint.LIST_TAGS, Fault.delay(Duration.ofMillis(300)));

        long start = System.nanoTime();
        Reply reply = http.get("/tags");
        long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(elapsed).isGreaterThanOrEqualTo(300);
    }

    @Test
    void aDelayLongerThanTheClientsTimeoutIsATimeout() {
        sandbox.faults().next(1, Endpoint.LIST_TAGS, Fault.delay(Duration.ofSeconds(5)));

        assertThatThrownBy(() -> http.send(http.request("/tags").timeout(Duration.ofMillis(200)).GET()))
                .hasCauseInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void addedLatencySlowsEveryIntercomCall() {
        sandbox.setLatency(Duration.ofMillis(150));

        long start = System.nanoTime();
        http.get("/tags");
        http.get("/segments");
        long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();

        assertThat(elapsed).isGreaterThanOrEqualTo(300);
    }

    @Test
    void serviceTimeSumsEveryAnswerIncludingAddedLatencyAndResets() {
        assertThat(sandbox.stats().serviceTime()).isZero();
        sandbox.setLatency(Duration.ofMillis(40));

        long start = System.nanoTime();
        http.get("/tags");
        http.get("/segments");
        Duration callerSaw = Duration.ofNanos(System.nanoTime() - start);

        assertThat(sandbox.stats().serviceTime()).isGreaterThanOrEqualTo(Duration.ofMillis(80))
                .isLessThanOrEqualTo(callerSaw);
        sandbox.stats().reset();
        assertThat(sandbox.stats().serviceTime()).isZero();
    }

    @Test
    void countersSplitByEndpointAndStatusAndReset() {
        String id = http.create("{\"email\":\"ada@example.com\"}");
        http.post("/contacts", "{\"email\":\"ada@example.com\"}");
        http.get("/contacts/" + id);
        http.get("/contacts/" + id);
        http.get("/contacts/0123456789abcdef01234567");

        assertThat(sandbox.stats().calls(Endpoint.CREATE_CONTACT)).isEqualTo(2);
        assertThat(sandbox.stats().calls(Endpoint.CREATE_CONTACT, 200)).isEqualTo(1);
        assertThat(sandbox.stats().calls(Endpoint.CREATE_CONTACT, 409)).isEqualTo(1);
        assertThat(sandbox.stats().calls(Endpoint.GET_CONTACT, 200)).isEqualTo(2);
        assertThat(sandbox.stats().calls(Endpoint.GET_CONTACT, 404)).isEqualTo(1);
        assertThat(sandbox.stats().total()).isEqualTo(5);
        assertThat(sandbox.stats().totalWithStatus(200)).isEqualTo(3);
        assertThat(sandbox.stats().snapshot()).containsEntry("POST /contacts", Map.of(200, 1L, 409, 1L))
                .containsEntry("GET /contacts/{id}", Map.of(200, 2L, 404, 1L));

        sandbox.stats().reset();

        assertThat(sandbox.stats().total()).isZero();
        assertThat(sandbox.stats().snapshot()).isEmpty();
    }

    @Test
    void rejectedRequestsAreCountedToo() {
        http.send(http.request("/tags").GET().setHeader("Authorization", "Bearer wrong"));

        assertThat(sandbox.stats().calls(Endpoint.LIST_TAGS, 401)).isEqualTo(1);
    }
}
