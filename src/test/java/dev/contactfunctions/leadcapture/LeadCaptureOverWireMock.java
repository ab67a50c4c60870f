package dev.contactfunctions.leadcapture;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.contactfunctions.testsupport.InjectWireMock;
import dev.contactfunctions.testsupport.IntercomWireMock;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * What the lead-capture tests over the WireMock Intercom share (each carries {@code @QuarkusTest}, its profile and
 * {@code @WithTestResource(IntercomWireMock.class)}). Before each test: Intercom with no stub and no request, the
 * instance cold (attribute and tag lists not read yet), the circuit breakers closed; a test stubs the workspace it
 * needs ({@link IntercomStubs#stubWorkspace}). After each: every request sent matches Intercom's description.
 */
abstract class LeadCaptureOverWireMock {

    @InjectWireMock
    WireMockServer wireMock;

    @Inject
    CustomAttributeCatalog attributes;

    @Inject
    TagCatalog tags;

    @BeforeEach
    void freshIntercomAndColdInstance() {
        wireMock.resetAll();
        attributes.invalidate();
        tags.invalidate();
        CircuitBreakerMaintenance.get().resetAll();
    }

    @AfterEach
    void everyRequestSentToIntercomMatchesItsDescription() {
        assertThat(IntercomWireMock.contractViolations(wireMock)).isEmpty();
    }
}
