package dev.contactfunctions.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.contactfunctions.sandbox.SandboxHttp.Reply;

/**
 * {@link Fault.LandsAnyway}: the client gets no answer it can trust (a 5xx, a dropped connection, nothing within its
 * read timeout), yet its write lands, at once or later on the sandbox clock, and search lag counts from the landing.
 */
class SandboxLateWritesTest {

    private static final Instant START = Instant.parse("2026-03-10T12:00:00Z");
    private static final Duration LAG = Duration.ofMinutes(10);
    private static final String ADA = "{\"role\":\"lead\",\"email\":\"ada@example.com\"}";
    private static final String BY_EMAIL = "{\"field\":\"email\",\"operator\":\"=\",\"value\":\"ada@example.com\"}";

    private final MutableClock clock = MutableClock.at(START);
    @RegisterExtension
    final RunningSandbox running = new RunningSandbox(
            () -> SandboxOptions.builder().clock(clock).searchLag(LAG).build());
    private IntercomSandbox sandbox;
    private SandboxHttp http;

    @BeforeEach
    void start() {
        sandbox = running.sandbox();
        http = running.http();
    }

    @Test
    void aCreateAnswered504LandsAtOnceAndSearchFindsItOnlyAfterTheLag() {
        sandbox.faults().next(1, Endpoint.CREATE_CONTACT, Fault.landsAnyway(Fault.status(504)));

        Reply reply = http.post("/contacts", ADA);

        assertThat(reply.status()).isEqualTo(504);
        assertThat(reply.errorCode()).isEqualTo("gateway_timeout");
        assertThat(sandbox.contactsWithEmail("ada@example.com")).singleElement()
                .satisfies(c -> assertThat(c.createdAt()).isEqualTo(START.getEpochSecond()));
        assertThat(sandbox.stats().calls(Endpoint.CREATE_CONTACT, 504)).isEqualTo(1);
        clock.advance(LAG.minusSeconds(1));
        assertThat(total(http.search(BY_EMAIL))).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(total(http.search(BY_EMAIL))).isEqualTo(1);
    }

    @Test
    void aStalledCreateTimesTheClientOutAndLandsWhenTheSandboxClockReachesItsTime() {
        Instant landsAt = START.plus(Duration.ofMinutes(3));
        sandbox.faults().next(1, Endpoint.CREATE_CONTACT, Fault.landsAt(landsAt, Fault.stall(Duration.ofSeconds(3))));
        // a connection already open, so that on a busy machine the timeout below cannot end the request before it
        // was sent (then nothing would land, and nothing would be tested)
        http.search(BY_EMAIL);

        // the wall-clock timeout is the thing tested here: the client gives up after 1 s, the sandbox answers after 3
        assertThatThrownBy(() -> http.send(http.request("/contacts").timeout(Duration.ofSeconds(1))
                .POST(HttpRequest.BodyPublishers.ofString(ADA))))
                .hasCauseInstanceOf(HttpTimeoutException.class);

        // the client may give up before the sandbox's thread has taken the request in (a busy machine)
        awaitPendingLateWrites(1);
        assertThat(sandbox.contacts()).isEmpty();
        assertThat(sandbox.pendingLateWrites()).isEqualTo(1);
        clock.set(landsAt.minusSeconds(1));
        assertThat(sandbox.contacts()).isEmpty();
        clock.set(landsAt);
        assertThat(sandbox.contactsWithEmail("ada@example.com")).singleElement()
                .satisfies(c -> assertThat(c.createdAt()).isEqualTo(landsAt.getEpochSecond()));
        assertThat(sandbox.pendingLateWrites()).isZero();
        clock.set(landsAt.plus(LAG).minusSeconds(1));
        assertThat(total(http.search(BY_EMAIL))).isZero();
        clock.set(landsAt.plus(LAG));
        assertThat(total(http.search(BY_EMAIL))).isEqualTo(1);
    }

    @Test
    void aLateWriteLandsBeforeTheRequestThatFindsItsTimeHasCome() {
        sandbox.setSearchLag(Duration.ZERO);
        Instant landsAt = START.plus(Duration.ofMinutes(1));
        sandbox.faults().next(1, Endpoint.CREATE_CONTACT, Fault.landsAt(landsAt, Fault.dropConnection()));
        assertThatThrownBy(() -> http.post("/contacts", ADA)).isInstanceOf(UncheckedIOException.class);

        assertThat(total(http.search(BY_EMAIL))).isZero();
        clock.advance(Duration.ofMinutes(1));
        assertThat(total(http.search(BY_EMAIL))).isEqualTo(1);
        assertThat(sandbox.stats().calls(Endpoint.CREATE_CONTACT, 0)).isEqualTo(1);
    }

    @Test
    void anUpdateWhoseConnectionDroppedIsAppliedAllTheSame() {
        String id = http.create(ADA);
        sandbox.faults().next(1, Endpoint.UPDATE_CONTACT, Fault.landsAnyway(Fault.dropConnection()));

        assertThatThrownBy(() -> http.put("/contacts/" + id, "{\"name\":\"Ada Lovelace\"}"))
                .isInstanceOf(UncheckedIOException.class);

        assertThat(sandbox.contact(id)).hasValueSatisfying(c -> assertThat(c.name()).isEqualTo("Ada Lovelace"));
    }

    @Test
    void aLateWriteIntercomWouldRefuseLandsNothing() {
        String user = "{\"role\":\"user\",\"external_id\":\"u-1\",\"email\":\"ada@example.com\"}";
        http.create(user);
        sandbox.faults().next(1, Endpoint.CREATE_CONTACT, Fault.landsAnyway(Fault.status(502)));

        assertThat(http.post("/contacts", user).status()).isEqualTo(502);

        assertThat(sandbox.contacts()).hasSize(1);
    }

    @Test
    void aLateWriteWithoutTheTokenLandsNothing() {
        sandbox.faults().next(1, Endpoint.CREATE_CONTACT, Fault.landsAnyway(Fault.status(500)));

        Reply reply = http.send(http.request("/contacts").setHeader("Authorization", "Bearer wrong")
                .POST(HttpRequest.BodyPublishers.ofString(ADA)));

        assertThat(reply.status()).isEqualTo(500);
        assertThat(sandbox.contacts()).isEmpty();
    }

    @Test
    void theClientsAnswerMustBeOneAGatewayCouldGive() {
        assertThatThrownBy(() -> Fault.landsAnyway(Fault.delay(Duration.ofSeconds(1))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static int total(Reply search) {
        assertThat(search.status()).as(search.body()).isEqualTo(200);
        return search.json().get("total_count").asInt();
    }

    /** Waits (at most 10 s) until the sandbox holds {@code count} writes to land later. */
    private void awaitPendingLateWrites(int count) {
        long giveUpAt = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (sandbox.pendingLateWrites() < count && System.nanoTime() < giveUpAt) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
