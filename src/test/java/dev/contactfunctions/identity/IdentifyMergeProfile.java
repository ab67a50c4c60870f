package dev.contactfunctions.identity;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Runs the identify-merge handler; shared by the handler test classes, so that Quarkus starts once for them. */
public class IdentifyMergeProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.lambda.handler", "identify-merge");
    }
}
