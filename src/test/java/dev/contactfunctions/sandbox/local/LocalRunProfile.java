package dev.contactfunctions.sandbox.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The local run's own configuration (the "local" profile that {@code ./mvnw quarkus:dev -Dlocal} activates: the local
 * router, its event server and the Intercom sandbox with the demo workspace on the loopback interface, the local
 * secrets and audit rules), with free ports instead of 8080 and 8089 so that it runs beside a developer's local run.
 */
public class LocalRunProfile implements QuarkusTestProfile {

    @Override
    public String getConfigProfile() {
        return "local";
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.lambda.mock-event-server.dev-port", Integer.toString(freePort()),
                "sandbox.port", Integer.toString(freePort()));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
