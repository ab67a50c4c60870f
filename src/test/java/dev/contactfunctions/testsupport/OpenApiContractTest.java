package dev.contactfunctions.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class OpenApiContractTest {

    private static final Path MISSING = Path.of("no-such-dir", "api.intercom.io.yaml").toAbsolutePath();

    @Test
    void outsideCiAMissingDescriptionSkipsTheChecks() {
        assertThat(OpenApiContract.available(MISSING, Map.of())).isFalse();
        assertThat(OpenApiContract.available(MISSING, Map.of("CI", "false"))).isFalse();
    }

    @Test
    void inCiAMissingDescriptionFailsTheRun() {
        assertThatThrownBy(() -> OpenApiContract.available(MISSING, Map.of("CI", "true")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(MISSING.toString()).hasMessageContaining("CI=true");
    }

    @Test
    void aPresentDescriptionIsUsedEverywhere() {
        Path pom = Path.of("pom.xml").toAbsolutePath();

        assertThat(OpenApiContract.available(pom, Map.of("CI", "true"))).isTrue();
    }
}
