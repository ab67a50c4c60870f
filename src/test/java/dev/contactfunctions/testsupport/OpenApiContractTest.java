package dev.contactfunctions.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class OpenApiContractTest {

    private static final Path MISSING = Path.of("no-such-dir", "api.intercom.io.yaml").toAbsolutePath();

    @Test
    void aMissingDescriptionSkipsTheChecksUnlessItIsRequired() {
        assertThat(OpenApiContract.available(MISSING, false)).isFalse();
    }

    @Test
    void aMissingDescriptionFailsTheRunWhereItIsRequired() {
        assertThatThrownBy(() -> OpenApiContract.available(MISSING, true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(MISSING.toString()).hasMessageContaining("-Dintercom-openapi.required=true");
    }

    @Test
    void aPresentDescriptionIsUsed() {
        Path pom = Path.of("pom.xml").toAbsolutePath();

        assertThat(OpenApiContract.available(pom, true)).isTrue();
        assertThat(OpenApiContract.available(pom, false)).isTrue();
    }

    @Test
    void theSkipReasonNamesWhereTheDescriptionIsLookedFor() {
        assertThat(OpenApiContract.skipped()).contains(OpenApiContract.location().toString(), "-Dintercom-openapi=");
    }

    @Test
    void theDescriptionAcceptsAContactCreateAndRefusesAMisspeltField() {
        Assumptions.assumeTrue(OpenApiContract.available(), OpenApiContract.skipped());
        Map<String, List<String>> headers = Map.of("Authorization", List.of("Bearer " + IntercomWireMock.TOKEN),
                "Intercom-Version", List.of("2.14"), "Accept", List.of("application/json"),
                "Content-Type", List.of("application/json"));

        assertThat(OpenApiContract.problems(OpenApiContract.request("POST", "/contacts", Map.of(), headers,
                "{\"role\":\"lead\",\"email\":\"ada@example.com\"}"))).isEmpty();
        assertThat(OpenApiContract.problems(OpenApiContract.request("POST", "/contacts", Map.of(), headers,
                "{\"role\":\"lead\",\"emial\":\"ada@example.com\"}")))
                .isNotEmpty();
    }
}
