package dev.contactfunctions.identity;

import java.util.HashMap;
import java.util.Map;

import dev.contactfunctions.infra.DeployedTemplate;
import dev.contactfunctions.testsupport.ProductionTimeouts;
import io.quarkus.test.junit.QuarkusTestProfile;

/** The identify-merge handler with the Intercom timeouts and retry timings template.yaml deploys it with. */
public class ProductionTimeoutsProfile implements QuarkusTestProfile {

    static final String FUNCTION = "IdentifyMergeFunction";
    static final Map<String, String> DEPLOYED = DeployedTemplate.environment(FUNCTION);

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(ProductionTimeouts.of(FUNCTION));
        overrides.put("quarkus.lambda.handler", "identify-merge");
        return overrides;
    }
}
