package dev.contactfunctions.reliability;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;

import dev.contactfunctions.sandbox.IntercomSandbox;

/**
 * The application's clock made the sandbox's, for a profile that enables this alternative and starts its sandbox
 * through {@link #handOver}: the Intercom client, the call budget (the invocation's deadline) and the signature check
 * then run on the clock Intercom's slowness is played on.
 */
@Alternative
@ApplicationScoped
public class ApplicationOnTheSandboxClock {

    /** A JDK type under a system property: the application's class loader is not the test resource's. */
    private static final String CLOCK_KEY = "dev.contactfunctions.reliability.sandbox-clock";

    /** Called by the test resource that starts the sandbox, before the application starts. */
    static void handOver(IntercomSandbox sandbox) {
        System.getProperties().put(CLOCK_KEY, sandbox.clock());
    }

    @Produces
    @ApplicationScoped
    Clock sandboxClock() {
        return (Clock) System.getProperties().get(CLOCK_KEY);
    }
}
