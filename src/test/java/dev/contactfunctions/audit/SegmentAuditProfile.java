package dev.contactfunctions.audit;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Selects the segment-audit handler, with short fault-tolerance timings (no test waits on real backoff). */
public class SegmentAuditProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.lambda.handler", "segment-audit",
                "intercom.retry.max-retries", "2",
                "intercom.retry.initial-delay", "5ms",
                "intercom.retry.max-delay", "20ms",
                "intercom.retry.jitter", "1ms",
                "intercom.retry.max-rate-limit-wait", "2s",
                "intercom.read-timeout-ms", "2000");
    }
}
