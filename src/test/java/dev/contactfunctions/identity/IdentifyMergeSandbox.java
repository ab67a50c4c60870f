package dev.contactfunctions.identity;

import java.util.Map;

import dev.contactfunctions.sandbox.IntercomSandbox;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** The in-process Intercom sandbox as the Intercom of a Quarkus test run (end-to-end tests of identify-merge). */
public class IdentifyMergeSandbox implements QuarkusTestResourceLifecycleManager {

    private IntercomSandbox sandbox;

    @Override
    public Map<String, String> start() {
        sandbox = IntercomSandbox.start();
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
