package dev.contactfunctions.audit;

import java.nio.file.Path;
import java.util.Map;

import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.SandboxOptions;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The Intercom sandbox as the Intercom of the audit's Quarkus tests. The audit looks at the whole workspace, so each
 * test starts from an empty one: {@link #fresh()} replaces the sandbox by a new one on the same port (the client's
 * base URL stays valid). Reports of the handler go to {@link #REPORT_DIR}.
 */
public class AuditSandbox implements QuarkusTestResourceLifecycleManager {

    static final Path REPORT_DIR = Path.of("target", "segment-audit-test-reports").toAbsolutePath();

    private IntercomSandbox sandbox;
    private int port;

    @Override
    public Map<String, String> start() {
        sandbox = IntercomSandbox.start();
        port = sandbox.port();
        return Map.of(
                "intercom.base-url", sandbox.baseUrl(),
                "intercom.access-token", sandbox.accessToken(),
                "audit.report-dir", REPORT_DIR.toString());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(this,
                new TestInjector.AnnotatedAndMatchesType(InjectAuditSandbox.class, AuditSandbox.class));
    }

    /** An empty workspace, with fresh counters, where the previous one was. */
    synchronized IntercomSandbox fresh() {
        sandbox.close();
        sandbox = IntercomSandbox.start(SandboxOptions.builder().port(port).build());
        return sandbox;
    }

    /** An empty workspace on the given clock (its rate-limit windows follow it), where the previous one was. */
    synchronized IntercomSandbox fresh(SandboxOptions.Builder options) {
        sandbox.close();
        sandbox = IntercomSandbox.start(options.port(port).build());
        return sandbox;
    }

    synchronized IntercomSandbox current() {
        return sandbox;
    }

    @Override
    public synchronized void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }
}
