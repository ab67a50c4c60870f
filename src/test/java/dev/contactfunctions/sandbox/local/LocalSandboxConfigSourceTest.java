package dev.contactfunctions.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class LocalSandboxConfigSourceTest {

    @Test
    void withoutIntercomSettingsTheLocalRunPointsAtTheSandbox() {
        LocalSandboxConfigSource source = new LocalSandboxConfigSource(Map.of("PATH", "/usr/bin"), new Properties());

        assertThat(source.getProperties()).containsOnly(
                Map.entry("%local.intercom.base-url", "http://localhost:${sandbox.port}"),
                Map.entry("%local.intercom.access-token", "sandbox-token"));
        assertThat(source.getValue("%local.intercom.access-token")).isEqualTo("sandbox-token");
        assertThat(source.getOrdinal()).isLessThan(250);
    }

    @Test
    void aTokenOrBaseUrlInTheEnvironmentMeansARealIntercom() {
        assertThat(new LocalSandboxConfigSource(Map.of("INTERCOM_ACCESS_TOKEN", "tok"), new Properties())
                .getProperties()).isEmpty();
        assertThat(new LocalSandboxConfigSource(Map.of("INTERCOM_BASE_URL", "http://proxy:9000"), new Properties())
                .getProperties()).isEmpty();
        assertThat(new LocalSandboxConfigSource(Map.of("INTERCOM_TOKEN_SECRET_ARN", "arn:aws:secretsmanager:x"),
                new Properties()).getPropertyNames()).isEmpty();
    }

    @Test
    void systemPropertiesForIntercomAlsoMeanARealIntercom() {
        Properties properties = new Properties();
        properties.setProperty("intercom.base-url", "http://localhost:9999");

        assertThat(LocalRunSetup.usesSandbox(Map.of(), properties)).isFalse();
        assertThat(LocalRunSetup.usesSandbox(Map.of("INTERCOM_ACCESS_TOKEN", " "), new Properties())).isTrue();
    }
}
