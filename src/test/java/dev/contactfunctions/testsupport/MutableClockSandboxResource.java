package dev.contactfunctions.testsupport;

import java.util.Map;

import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.MutableClock;
import dev.contactfunctions.sandbox.SandboxOptions;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * As {@link IntercomSandboxResource}, with a sandbox on a {@link MutableClock} (its {@code clock()}): search lag, late
 * writes and the rate-limit windows follow that clock, so that a test can let minutes pass at once.
 */
public class MutableClockSandboxResource implements QuarkusTestResourceLifecycleManager {

    private IntercomSandbox sandbox;

    @Override
    public Map<String, String> start() {
        sandbox = IntercomSandbox.start(SandboxOptions.builder().clock(MutableClock.startingNow()).build());
        return Map.of(
                "intercom.base-url", sandbox.baseUrl(),
                "intercom.access-token", sandbox.accessToken());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(sandbox,
                new TestInjector.AnnotatedAndMatchesType(InjectSandbox.class, IntercomSandbox.class));
    }

    @Override
    public void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }
}
