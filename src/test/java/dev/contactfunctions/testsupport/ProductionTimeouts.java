package dev.contactfunctions.testsupport;

import java.util.HashMap;
import java.util.Map;

import dev.contactfunctions.infra.DeployedTemplate;

/**
 * Config overrides that give a test the Intercom timeouts template.yaml deploys a function with, and the production
 * retry timings instead of the tests' fast ones (src/test/resources/application.properties).
 */
public final class ProductionTimeouts {

    private ProductionTimeouts() {
    }

    public static Map<String, String> of(String functionId) {
        Map<String, String> deployed = DeployedTemplate.environment(functionId);
        Map<String, String> overrides = new HashMap<>();
        // a %test value wins over an unprefixed one, so the production values go under %test
        overrides.put("%test.intercom.read-timeout-ms", deployed.getOrDefault("INTERCOM_READ_TIMEOUT_MS", "5000"));
        overrides.put("%test.intercom.connect-timeout-ms", deployed.getOrDefault("INTERCOM_CONNECT_TIMEOUT_MS", "2000"));
        // IntercomConfig's defaults, which the deployed functions run with
        overrides.put("%test.intercom.retry.initial-delay", "200ms");
        overrides.put("%test.intercom.retry.max-delay", "5s");
        overrides.put("%test.intercom.retry.jitter", "250ms");
        return overrides;
    }
}
