package dev.contactfunctions.audit;

import java.util.Map;

import dev.contactfunctions.testsupport.FastRetries;
import io.quarkus.test.junit.QuarkusTestProfile;

/** Selects the segment-audit handler, with short fault-tolerance timings (no test waits on real backoff). */
public class SegmentAuditProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return FastRetries.with(Map.of(
                "quarkus.lambda.handler", "segment-audit",
                "intercom.retry.max-rate-limit-wait", "2s",
                "intercom.read-timeout-ms", "2000"));
    }
}
