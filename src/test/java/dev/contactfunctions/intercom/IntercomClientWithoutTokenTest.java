package dev.contactfunctions.intercom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.contactfunctions.invocation.NotConfiguredException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;

/** No token configured: every call fails at once with a configuration error, never as an Intercom outage. */
@QuarkusTest
@TestProfile(IntercomClientWithoutTokenTest.NoToken.class)
class IntercomClientWithoutTokenTest {

    @Inject
    IntercomClient client;

    @Test
    void aMissingTokenIsAConfigurationErrorThatIsNeitherRetriedNorCountedAsAnOutage() {
        for (int i = 0; i < 30; i++) {
            assertThatThrownBy(() -> client.findContact("5ba682d23d7cf92bef87bfd4"))
                    .isInstanceOf(NotConfiguredException.class)
                    .hasMessageContaining("INTERCOM_TOKEN_SECRET_ARN");
        }
        assertThat(CircuitBreakerMaintenance.get().currentState(IntercomClient.CIRCUIT_BREAKER))
                .isEqualTo(CircuitBreakerState.CLOSED);
    }

    public static class NoToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // nothing listens on port 9: a call that went out would fail as an I/O error instead
            return Map.of("intercom.base-url", "http://127.0.0.1:9");
        }
    }
}
