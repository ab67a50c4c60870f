package dev.contactfunctions.testsupport;

import java.util.Map;

import dev.contactfunctions.sandbox.IntercomSandbox;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The in-process Intercom sandbox as the Intercom of a Quarkus test run (end-to-end tests of the functions and the
 * reliability suite). Put {@code @WithTestResource(IntercomSandboxResource.class)} on every test class that needs it
 * (always alone, so that all of them share one Quarkus start per profile) and receive the sandbox in a
 * {@code @InjectSandbox IntercomSandbox} field.
 */
public class IntercomSandboxResource implements QuarkusTestResourceLifecycleManager {

    private IntercomSandbox sandbox;

    @Override
    public Map<String, String> start() {
        return start(IntercomSandbox.start());
    }

    /** Serves this sandbox as the Intercom of the run. */
    protected Map<String, String> start(IntercomSandbox started) {
        sandbox = started;
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
