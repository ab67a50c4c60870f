package dev.contactfunctions.identity;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.contactfunctions.intercom.IntercomClient;
import dev.contactfunctions.testsupport.InjectWireMock;
import dev.contactfunctions.testsupport.IntercomWireMock;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * What the identify-merge tests over the WireMock Intercom share (each carries {@code @QuarkusTest},
 * {@code @TestProfile(IdentifyMergeProfile.class)} and {@code @WithTestResource(IntercomWireMock.class)}). Before each
 * test: the client warmed once ({@link IntercomWarmUp}), then Intercom with no stub and no request, the workspace's
 * attribute list not read yet, the circuit breakers closed; a test stubs what it needs. After each: every request
 * sent matches Intercom's description.
 */
abstract class IdentifyMergeOverWireMock {

    @InjectWireMock
    WireMockServer intercom;
    @Inject
    WorkspaceAttributes workspaceAttributes;
    @Inject
    IntercomClient intercomClient;

    @BeforeEach
    void freshIntercomAndColdInstance() {
        IntercomWarmUp.once(intercomClient);
        intercom.resetAll();
        workspaceAttributes.invalidate();
        CircuitBreakerMaintenance.get().resetAll();
    }

    @AfterEach
    void requestsAreValidIntercomRequests() {
        assertThat(IntercomWireMock.contractViolations(intercom)).isEmpty();
    }
}
