package dev.contactfunctions.reliability;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The burst's settings: the Intercom client's production timings (the defaults of {@code IntercomConfig}, which the
 * test configuration shortens for every other test), so that rate-limit waits and retries behave as deployed.
 */
public class BurstProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "intercom.read-timeout-ms", "5000",
                "intercom.retry.max-retries", "3",
                "intercom.retry.initial-delay", "200ms",
                "intercom.retry.max-delay", "5s",
                "intercom.retry.jitter", "250ms",
                "intercom.retry.max-rate-limit-wait", "11s");
    }
}
