package dev.contactfunctions.reliability;

import java.util.Map;

import dev.contactfunctions.testsupport.FastRetries;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The reliability suite's settings: short read timeouts and rate-limit waits, so that a fault at a step costs
 * milliseconds and is given up within the budget (then queued); a claim wait long enough for a burst of 50 deliveries
 * of one person to see the winner's contact. The suite builds its function instances itself ({@link Fleet}), so the
 * Lambda handler stays the idle one. The burst runs with the client's production timings instead
 * ({@link BurstProfile}). The settle horizon of ambiguous creates ({@code ledger.create-settle}) stays the production
 * one: the ambiguity tests move their clock past it.
 */
public class ReliabilityProfile implements QuarkusTestProfile {

    /** What a timeout fault holds an answer back for: longer than the client's read timeout. */
    static final int READ_TIMEOUT_MS = 250;

    @Override
    public Map<String, String> getConfigOverrides() {
        return FastRetries.with(Map.of(
                "intercom.read-timeout-ms", Integer.toString(READ_TIMEOUT_MS),
                "intercom.retry.max-rate-limit-wait", "100ms",
                "ledger.claim-wait", "5s",
                // steps at which a random schedule may pause or kill an invocation; inert elsewhere
                "quarkus.rest-client.intercom.providers", IntercomSteps.class.getName()));
    }
}
