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
 * The audit reads the whole workspace, so {@link #fresh()} puts an empty sandbox where the current one was (same
 * port, so the client's base URL stays valid).
 */
public class BenchSandbox implements QuarkusTestResourceLifecycleManager {

    static final int UNLIMITED = 1_000_000;

    /** Marks the {@link BenchSandbox} field to inject. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    @interface Inject {
    }

    private IntercomSandbox sandbox;
    private int port;

    static SandboxOptions.Builder options() {
        return SandboxOptions.builder().rateLimit(UNLIMITED);
    }

    @Override
    public Map<String, String> start() {
        sandbox = IntercomSandbox.start(options().build());
        port = sandbox.port();
        return Map.of("intercom.base-url", sandbox.baseUrl(), "intercom.access-token", sandbox.accessToken());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(this, new TestInjector.AnnotatedAndMatchesType(Inject.class, BenchSandbox.class));
    }

    synchronized IntercomSandbox current() {
        return sandbox;
    }

    /** An empty workspace with fresh counters where the previous one was. */
    synchronized IntercomSandbox fresh() {
        sandbox.close();
        sandbox = IntercomSandbox.start(options().port(port).build());
        return sandbox;
    }

    @Override
    public synchronized void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }
}
