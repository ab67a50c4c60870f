package dev.contactfunctions.leadcapture;

import java.util.Map;

import dev.contactfunctions.testsupport.FastRetries;
import io.quarkus.test.junit.QuarkusTestProfile;

/** Selects the lead-capture handler, with short fault-tolerance timings (no test waits on real backoff). */
public class LeadCaptureProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return FastRetries.with(Map.of(
                "quarkus.lambda.handler", "lead-capture",
                "intercom.retry.max-rate-limit-wait", "2s",
                "intercom.read-timeout-ms", "1000",
                // a delivery that finds the person claimed by another waits this long before it is queued
                "ledger.claim-wait", "1s"));
    }
}
