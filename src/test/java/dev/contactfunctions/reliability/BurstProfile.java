package dev.contactfunctions.reliability;

import java.util.HashMap;
import java.util.Map;

import dev.contactfunctions.infra.DeployedTemplate;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The burst's settings: the Intercom client's timeouts as the template deploys lead capture, and the production retry
 * timings (the defaults of {@code IntercomConfig}) instead of the tests' fast ones, so that rate-limit waits and
 * retries behave as deployed.
 */
public class BurstProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> deployed = DeployedTemplate.environment("LeadCaptureFunction");
        Map<String, String> overrides = new HashMap<>();
        // a %test value wins over an unprefixed one, so the production values go under %test
        overrides.put("%test.intercom.read-timeout-ms", deployed.getOrDefault("INTERCOM_READ_TIMEOUT_MS", "5000"));
        overrides.put("%test.intercom.connect-timeout-ms",
                deployed.getOrDefault("INTERCOM_CONNECT_TIMEOUT_MS", "2000"));
        overrides.put("%test.intercom.retry.max-retries", "3");
        overrides.put("%test.intercom.retry.initial-delay", "200ms");
        overrides.put("%test.intercom.retry.max-delay", "5s");
        overrides.put("%test.intercom.retry.jitter", "250ms");
        overrides.put("%test.intercom.retry.max-rate-limit-wait", "11s");
        return overrides;
    }
}
