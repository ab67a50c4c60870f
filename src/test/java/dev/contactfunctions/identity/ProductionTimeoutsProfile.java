package dev.contactfunctions.identity;

import java.util.HashMap;
import java.util.Map;

import dev.contactfunctions.infra.TemplateEnvironment;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The identify-merge handler with the Intercom timeouts template.yaml deploys it with, and the production retry
 * timings instead of the tests' fast ones (src/test/resources/application.properties).
 */
public class ProductionTimeoutsProfile implements QuarkusTestProfile {

    static final Map<String, String> DEPLOYED = TemplateEnvironment.of("IdentifyMergeFunction");

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("quarkus.lambda.handler", "identify-merge");
        // a %test value wins over an unprefixed one, so the production values go under %test
        overrides.put("%test.intercom.read-timeout-ms", DEPLOYED.getOrDefault("INTERCOM_READ_TIMEOUT_MS", "5000"));
        overrides.put("%test.intercom.connect-timeout-ms", DEPLOYED.getOrDefault("INTERCOM_CONNECT_TIMEOUT_MS", "2000"));
        // IntercomConfig's defaults, which the deployed functions run with
        overrides.put("%test.intercom.retry.initial-delay", "200ms");
        overrides.put("%test.intercom.retry.max-delay", "5s");
        overrides.put("%test.intercom.retry.jitter", "250ms");
        return overrides;
    }
}
