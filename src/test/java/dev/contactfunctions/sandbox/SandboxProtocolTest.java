package dev.contactfunctions.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.contactfunctions.sandbox.SandboxHttp.Reply;

/** Authentication, content negotiation, the error envelope and rate limiting. */
class SandboxProtocolTest {

    /** 12:00:03 UTC: three seconds into a 10-second window. */
    private static final Instant START = Instant.parse("2026-03-10T12:00:03Z");

    private final MutableClock clock = MutableClock.at(START);
    private IntercomSandbox sandbox;
    private SandboxHttp http;

    @BeforeEach
    void start() {
        sandbox = IntercomSandbox.start(SandboxOptions.builder().clock(clock).rateLimit(3).build());
        http = new SandboxHttp(sandbox);
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void aMissingTokenGets401WithoutRateLimitHeaders() {
        Reply reply = http.send(http.request("/contacts").GET().setHeader("Authorization", ""));

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.json().get("type").asText()).isEqualTo("error.list");
        assertThat(reply.json().get("request_id").asText()).matches("[0-9a-f-]{36}");
        assertThat(reply.errorCode()).isEqualTo("unauthorized");
        assertThat(reply.errorMessage()).isEqualTo("Access Token Invalid");
        assertThat(reply.header("X-RateLimit-Limit")).isNull();
        assertThat(reply.header("X-RateLimit-Remaining")).isNull();
    }

    @Test
    void aWrongTokenGets401() throws Exception {
        HttpResponse<String> noHeader = SandboxHttp.sendRaw(HttpRequest.newBuilder(
                URI.create(sandbox.baseUrl() + "/contacts")).header("Accept", "application/json").GET().build());
        Reply wrong = http.send(http.request("/contacts").GET().setHeader("Authorization", "Bearer nope"));

        assertThat(noHeader.statusCode()).isEqualTo(401);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.errorCode()).isEqualTo("unauthorized");
    }

    @Test
    void theExpectedTokenIsConfigurable() {
        try (IntercomSandbox custom = IntercomSandbox.start(SandboxOptions.builder().accessToken("s3cret").build())) {
            SandboxHttp customHttp = new SandboxHttp(custom);
            Reply ok = customHttp.get("/contacts");
            Reply old = customHttp.send(customHttp.request("/contacts").GET()
                    .setHeader("Authorization", "Bearer " + SandboxOptions.DEFAULT_TOKEN));

            assertThat(ok.status()).isEqualTo(200);
            assertThat(old.status()).isEqualTo(401);
        }
    }

    @Test
    void mediaRangesThatIncludeJsonAreAnsweredAsIntercomAnswersThem() throws Exception {
        HttpResponse<String> noAccept = SandboxHttp.sendRaw(HttpRequest.newBuilder(
                URI.create(sandbox.baseUrl() + "/contacts"))
                .header("Authorization", "Bearer " + sandbox.accessToken()).GET().build());
        assertThat(noAccept.statusCode()).as("no Accept header: any media type").isEqualTo(200);

        // */* is what Intercom's official SDKs send
        for (String accept : List.of("application/json", "application/json; charset=utf-8", "application/*", "*/*",
                "text/plain, application/json; charset=utf-8", "text/html;q=0.9, */*;q=0.1",
                "application/xml, application/*;q=0.5", "APPLICATION/JSON", "*/*;q=0, application/json")) {
            clock.advance(Duration.ofSeconds(10)); // a new rate-limit window (this sandbox allows 3 calls in one)
            Reply reply = http.send(http.request("/contacts").GET().setHeader("Accept", accept));

            assertThat(reply.status()).as("Accept: %s", accept).isEqualTo(200);
        }
    }

    @Test
    void aMediaRangeThatExcludesJsonGets406() {
        for (String accept : List.of("application/xml", "text/html", "text/*", "text/html, application/xml;q=0.9",
                "application/json;q=0", "application/*;q=0", "*/*;q=0", "*/*, application/json;q=0")) {
            clock.advance(Duration.ofSeconds(10));
            Reply reply = http.send(http.request("/contacts").GET().setHeader("Accept", accept));

            assertThat(reply.status()).as("Accept: %s", accept).isEqualTo(406);
            assertThat(reply.errorCode()).isEqualTo("media_type_not_acceptable");
            assertThat(reply.errorMessage()).isEqualTo("The Accept header should send a media type of application/json");
        }
    }

    @Test
    void everyAuthenticatedAnswerCarriesTheRateLimitHeaders() {
        Reply ok = http.get("/contacts");
        Reply notFound = http.get("/contacts/0123456789abcdef01234567");

        assertThat(ok.header("X-RateLimit-Limit")).isEqualTo("3");
        assertThat(ok.header("X-RateLimit-Remaining")).isEqualTo("2");
        assertThat(ok.header("X-RateLimit-Reset")).isEqualTo(Long.toString(START.getEpochSecond() + 7));
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.header("X-RateLimit-Remaining")).isEqualTo("1");
    }

    @Test
    void pastTheWindowsLimitTheAnswerIs429UntilTheWindowResets() {
        for (int i = 0; i < 3; i++) {
            assertThat(http.get("/contacts").status()).isEqualTo(200);
        }

        Reply limited = http.get("/contacts");
        clock.advance(Duration.ofSeconds(6)); // still 12:00:09
        Reply stillLimited = http.get("/contacts");
        clock.advance(Duration.ofSeconds(1)); // 12:00:10: a new window
        Reply reset = http.get("/contacts");

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.errorCode()).isEqualTo("rate_limit_exceeded");
        assertThat(limited.errorMessage()).isEqualTo("Exceeded rate limit of 3 in 10_seconds");
        assertThat(limited.header("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(limited.header("X-RateLimit-Reset")).isEqualTo(Long.toString(START.getEpochSecond() + 7));
        assertThat(stillLimited.status()).isEqualTo(429);
        assertThat(reset.status()).isEqualTo(200);
        assertThat(reset.header("X-RateLimit-Remaining")).isEqualTo("2");
        assertThat(reset.header("X-RateLimit-Reset")).isEqualTo(Long.toString(START.getEpochSecond() + 17));
        assertThat(sandbox.stats().calls(Endpoint.LIST_CONTACTS, 429)).isEqualTo(2);
    }

    @Test
    void aRateLimitedWriteChangesNothing() {
        sandbox.setRateLimit(1);
        http.get("/contacts");

        Reply limited = http.post("/contacts", "{\"email\":\"ada@example.com\"}");

        assertThat(limited.status()).isEqualTo(429);
        assertThat(sandbox.contacts()).isEmpty();
    }

    @Test
    void theDefaultLimitIsIntercoms1667PerWindow() {
        try (IntercomSandbox defaults = IntercomSandbox.start()) {
            Reply reply = new SandboxHttp(defaults).get("/contacts");

            assertThat(reply.header("X-RateLimit-Limit")).isEqualTo("1667");
            assertThat(defaults.rateLimit()).isEqualTo(SandboxOptions.DEFAULT_RATE_LIMIT);
        }
    }

    @Test
    void anUnknownRouteGets404InTheEnvelopeAndIsCountedAsUnmatched() {
        Reply reply = http.get("/companies");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.errorCode()).isEqualTo("not_found");
        assertThat(sandbox.stats().unmatched()).isEqualTo(1);
    }

    @Test
    void theInspectionEndpointsNeedNoTokenAndAreNotCounted() throws Exception {
        sandbox.addContact(SeedContact.user("u-1", "ada@example.com").name("Ada").tag("vip"));
        http.get("/contacts");

        HttpResponse<String> contacts = SandboxHttp.sendRaw(
                HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/_sandbox/contacts")).GET().build());
        HttpResponse<String> stats = SandboxHttp.sendRaw(
                HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/_sandbox/stats")).GET().build());

        assertThat(contacts.statusCode()).isEqualTo(200);
        assertThat(SandboxHttp.JSON.readTree(contacts.body()).at("/contacts/0/tag_names/0").asText()).isEqualTo("vip");
        assertThat(SandboxHttp.JSON.readTree(stats.body()).path("endpoints").path("GET /contacts").path("200")
                .asLong())
                .isEqualTo(1);
        assertThat(sandbox.stats().total()).isEqualTo(1);
    }
}
