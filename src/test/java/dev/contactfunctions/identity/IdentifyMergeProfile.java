package dev.contactfunctions.identity;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Runs the identify-merge handler with short fault-tolerance timings: shared by the handler test classes. */
public class IdentifyMergeProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.lambda.handler", "identify-merge",
                "intercom.retry.initial-delay", "5ms",
                "intercom.retry.max-delay", "20ms",
                "intercom.retry.jitter", "1ms",
                "intercom.read-timeout-ms", "700");
    }
}
