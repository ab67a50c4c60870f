package dev.contactfunctions.testsupport;

import java.util.Map;

import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.MutableClock;
import dev.contactfunctions.sandbox.SandboxOptions;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The in-process Intercom sandbox as the Intercom of a Quarkus test run (end-to-end tests of the functions and the
 * reliability suite). Put {@code @WithTestResource(IntercomSandboxResource.class)} on every test class that needs it
 * (always alone, so that all of them share one Quarkus start per profile) and receive the sandbox in a
 * {@code @InjectSandbox IntercomSandbox} field.
 *
 * <p>With the init argument {@code clock=ticking} ({@link #TICKING_CLOCK}) the sandbox runs on a
 * {@linkplain MutableClock#ticking() ticking MutableClock}: {@code (MutableClock) sandbox.clock()} moves with real time
 * and jumps when the test advances it (a queue delay, a search lag).
 */
public class IntercomSandboxResource implements QuarkusTestResourceLifecycleManager {

    public static final String CLOCK = "clock";
    public static final String TICKING_CLOCK = "ticking";

    private IntercomSandbox sandbox;
    private boolean tickingClock;

    @Override
    public void init(Map<String, String> initArgs) {
        tickingClock = TICKING_CLOCK.equals(initArgs.get(CLOCK));
    }

    @Override
    public Map<String, String> start() {
        sandbox = tickingClock
                ? IntercomSandbox.start(SandboxOptions.builder().clock(MutableClock.ticking()).build())
                : IntercomSandbox.start();
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
