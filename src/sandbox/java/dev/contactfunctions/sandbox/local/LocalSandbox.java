package dev.contactfunctions.sandbox.local;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.contactfunctions.sandbox.DemoWorkspace;
import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.SandboxOptions;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * In {@code ./mvnw quarkus:dev -Dlocal}, starts the Intercom sandbox on {@code sandbox.port} (default
 * {@value #DEFAULT_PORT}) with the {@link DemoWorkspace}, unless a real Intercom is configured. Dev profile only: in
 * tests the sandbox is test code but this bean does not exist.
 */
@IfBuildProfile("dev")
@ApplicationScoped
public class LocalSandbox {

    public static final int DEFAULT_PORT = 8089;
    private static final Logger LOG = Logger.getLogger(LocalSandbox.class);

    private final int port;
    private IntercomSandbox sandbox;

    LocalSandbox(@ConfigProperty(name = "sandbox.port", defaultValue = "" + DEFAULT_PORT) int port) {
        this.port = port;
    }

    void start(@Observes StartupEvent event) {
        if (!LocalIntercomMode.usesSandbox()) {
            LOG.info("Intercom settings found in the environment: the local run talks to that Intercom, not the sandbox");
            return;
        }
        sandbox = IntercomSandbox.start(SandboxOptions.builder().port(port).build());
        DemoWorkspace.seed(sandbox);
        LOG.infof("Intercom sandbox listening on http://localhost:%d with %d demo contacts;"
                + " see them with: curl localhost:%d/_sandbox/contacts", port, sandbox.contacts().size(), port);
    }

    void stop(@Observes ShutdownEvent event) {
        if (sandbox != null) {
            sandbox.close();
            sandbox = null;
        }
    }
}
