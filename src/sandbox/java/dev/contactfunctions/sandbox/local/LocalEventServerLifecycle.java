package dev.contactfunctions.sandbox.local;

import java.net.InetAddress;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;

/**
 * Starts the local run's {@link LocalEventServer} ({@code local-run.event-server.enabled}, which the "local" profile
 * sets) on {@code local-run.host} and the port of {@code quarkus.lambda.mock-event-server.dev-port}. It starts as soon
 * as the application's beans exist, before Quarkus's Lambda poll loop first asks it for an event (the loop gives up
 * for good when nothing answers), and stops with the application (a live reload starts a new one).
 */
@ApplicationScoped
public class LocalEventServerLifecycle {

    private static final Logger LOG = Logger.getLogger(LocalEventServerLifecycle.class);

    private final boolean enabled;
    private final InetAddress host;
    private final int port;
    private LocalEventServer server;

    LocalEventServerLifecycle(
            @ConfigProperty(name = "local-run.event-server.enabled", defaultValue = "false") boolean enabled,
            @ConfigProperty(name = "local-run.host", defaultValue = "127.0.0.1") String host,
            @ConfigProperty(name = "quarkus.lambda.mock-event-server.dev-port", defaultValue = "8080") int port) {
        this.enabled = enabled;
        this.host = LocalEventServer.address(host);
        this.port = port;
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        if (enabled && server == null) {
            server = LocalEventServer.start(host, port);
            LOG.infof("Local event server listening on http://%s:%d (local-run.host; 0.0.0.0 opens it to the network)",
                    host.getHostAddress(), server.address().getPort());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
