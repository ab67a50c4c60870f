package dev.contactfunctions.intercom;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.contactfunctions.testsupport.InjectWireMock;
import dev.contactfunctions.testsupport.IntercomStubs;

/**
 * What the client tests over the WireMock Intercom share (each carries {@code @QuarkusTest} and
 * {@code @WithTestResource(IntercomWireMock.class)}). Before each test: no stub and no request, the circuit breakers
 * closed and the pacer reset. After each: the same reset, and every request sent was well formed
 * ({@link IntercomStubs#assertEveryRequestWellFormed}).
 */
abstract class IntercomClientOverWireMock {

    @InjectWireMock
    WireMockServer wireMock;

    @Inject
    IntercomClient client;

    @BeforeEach
    void startClean() {
        wireMock.resetAll();
        IntercomStubs.resetClientState();
    }

    @AfterEach
    void everyRequestWasWellFormed() {
        IntercomStubs.resetClientState();
        IntercomStubs.assertEveryRequestWellFormed(wireMock);
    }

    int requestsReceived() {
        return wireMock.findAll(anyRequestedFor(anyUrl())).size();
    }
}
