package dev.contactfunctions.sandbox;

import java.util.function.Supplier;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh sandbox for every test, closed after it: {@code @RegisterExtension final RunningSandbox running = ...}.
 * It starts before the test class's own {@code @BeforeEach} methods, which may seed it.
 */
final class RunningSandbox implements BeforeEachCallback, AfterEachCallback {

    private final Supplier<SandboxOptions> options;
    private IntercomSandbox sandbox;
    private SandboxHttp http;

    RunningSandbox(Supplier<SandboxOptions> options) {
        this.options = options;
    }

    RunningSandbox() {
        this(SandboxOptions::defaults);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        sandbox = IntercomSandbox.start(options.get());
        http = new SandboxHttp(sandbox);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        sandbox.close();
    }

    IntercomSandbox sandbox() {
        return sandbox;
    }

    SandboxHttp http() {
        return http;
    }
}
