package dev.contactfunctions.sandbox.local;

import java.net.InetAddress;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.contactfunctions.sandbox.DemoWorkspace;
import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.SandboxOptions;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * In the local run ({@code ./mvnw quarkus:dev -Dlocal}, the "local" configuration profile, which sets
 * {@code sandbox.enabled}), starts the Intercom sandbox on {@code sandbox.port} with the {@link DemoWorkspace}, unless
 * a real Intercom is configured. Elsewhere (other tests, where the sandbox is test code) it does nothing.
 */
@ApplicationScoped
public class LocalSandbox {

    private static final Logger LOG = Logger.getLogger(LocalSandbox.class);

    private final boolean enabled;
    private final int port;
    private final InetAddress host;
    private IntercomSandbox sandbox;

    LocalSandbox(@ConfigProperty(name = "sandbox.enabled", defaultValue = "false") boolean enabled,
            @ConfigProperty(name = "sandbox.port", defaultValue = "0") int port,
            @ConfigProperty(name = "local-run.host", defaultValue = "127.0.0.1") String host) {
        this.enabled = enabled;
        this.port = port;
        this.host = LocalEventServer.address(host);
    }

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        if (!LocalRunSetup.usesSandbox()) {
            LOG.info("Intercom settings found in the environment: the local run talks to that Intercom, not the sandbox");
            return;
        }
        sandbox = IntercomSandbox.start(SandboxOptions.builder().host(host).port(port).build());
        DemoWorkspace.seed(sandbox);
        LOG.infof("Intercom sandbox listening on http://%s:%d with %d demo contacts;"
                + " see them with: curl localhost:%d/_sandbox/contacts", host.getHostAddress(), port,
                sandbox.contacts().size(), port);
    }

    void stop(@Observes ShutdownEvent event) {
        if (sandbox != null) {
            sandbox.close();
            sandbox = null;
        }
    }
}
