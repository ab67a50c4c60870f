package dev.contactfunctions.sandbox.local;

import java.net.InetAddress;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Starts the local run's {@link LocalEventServer} ({@code local-run.event-server.enabled}, which the "local" profile
 * sets) on {@code local-run.host} and the port of {@code quarkus.lambda.mock-event-server.dev-port}. It starts as soon
 * as the application's beans exist, before Quarkus's Lambda poll loop first asks it for an event (the loop gives up
 * for good when nothing answers; observing StartupEvent would race with it).
 *
 * <p>In dev mode the server outlives the application, as Quarkus's own mock event server does: a live reload restarts
 * the application while an event waits (the poll loop hands it back, then the restarted one takes it), so the server
 * of the first start keeps serving, and the JVM's end stops it. Each reload loads this class anew, so the address it
 * serves is remembered in a system property. Elsewhere (tests) it stops with the application.
 */
@ApplicationScoped
public class LocalEventServerLifecycle {

    private static final Logger LOG = Logger.getLogger(LocalEventServerLifecycle.class);
    /** The address the server of this dev-mode JVM serves, kept across live reloads. */
    static final String SERVING = "dev.contactfunctions.local-event-server";

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
        if (!enabled || server != null) {
            return;
        }
        String address = host.getHostAddress() + ":" + port;
        boolean dev = LaunchMode.current() == LaunchMode.DEVELOPMENT;
        if (dev && address.equals(System.getProperty(SERVING))) {
            return; // a live reload: the server of the first start still listens there
        }
        server = LocalEventServer.start(host, port);
        if (dev) {
            System.setProperty(SERVING, address);
        }
        LOG.infof("Local event server listening on http://%s:%d (local-run.host; 0.0.0.0 opens it to the network)",
                host.getHostAddress(), server.address().getPort());
    }

    void stop(@Observes ShutdownEvent event) {
        if (server != null && LaunchMode.current() != LaunchMode.DEVELOPMENT) {
            server.close();
            server = null;
        }
    }
}
