package dev.contactfunctions.reliability;

import java.util.Map;
import java.util.Set;

import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.testsupport.MutableClockSandboxResource;
import dev.contactfunctions.testsupport.ProductionTimeouts;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The burst's settings: the Intercom client's timeouts as the template deploys lead capture, and the production retry
 * timings (the defaults of {@code IntercomConfig}) instead of the tests' fast ones, so that rate-limit waits and
 * retries behave as deployed. The application runs on the sandbox's clock, a stopped one that the burst's
 * {@link VirtualTime} moves ({@link SandboxOnAStoppedClock}).
 */
public class BurstProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return ProductionTimeouts.of("LeadCaptureFunction");
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(ApplicationOnTheSandboxClock.class);
    }

    /** The sandbox on a stopped {@code MutableClock}, handed to the application as its clock. */
    public static class SandboxOnAStoppedClock extends MutableClockSandboxResource {

        @Override
        protected Map<String, String> start(IntercomSandbox started) {
            ApplicationOnTheSandboxClock.handOver(started);
            return super.start(started);
        }
    }
}
