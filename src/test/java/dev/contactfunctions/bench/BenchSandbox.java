package dev.contactfunctions.bench;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.SandboxOptions;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The Intercom sandbox of an in-process benchmark: the real clock, no latency, and a rate limit far above what the
 * benchmark spends (API calls and handler overhead are measured without pacing; the audit at scale has its own).
 */
public class BenchSandbox implements QuarkusTestResourceLifecycleManager {

    static final int UNLIMITED = 1_000_000;

    /** Marks the {@link IntercomSandbox} field to inject. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    @interface Inject {
    }

    private IntercomSandbox sandbox;

    @Override
    public Map<String, String> start() {
        sandbox = IntercomSandbox.start(SandboxOptions.builder().rateLimit(UNLIMITED).build());
        return Map.of("intercom.base-url", sandbox.baseUrl(), "intercom.access-token", sandbox.accessToken());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(sandbox,
                new TestInjector.AnnotatedAndMatchesType(Inject.class, IntercomSandbox.class));
    }

    @Override
    public void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }
}
