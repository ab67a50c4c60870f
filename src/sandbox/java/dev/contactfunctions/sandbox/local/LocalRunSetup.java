package dev.contactfunctions.sandbox.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * What the local run ({@code ./mvnw quarkus:dev -Dlocal}) sets up besides the functions: the Intercom sandbox, unless
 * the environment names a real Intercom ({@code INTERCOM_ACCESS_TOKEN}, {@code INTERCOM_BASE_URL} or
 * {@code INTERCOM_TOKEN_SECRET_ARN}) or the command line does ({@code -Dintercom.base-url},
 * {@code -Dintercom.access-token}); and the ports it listens on, which must be free.
 * <p>
 * {@code ./mvnw} runs {@link #main} before Maven starts, and the {@code local} profile of {@code pom.xml} again before
 * anything is compiled (both through {@code src/sandbox/sh/local-run-ports.sh}, which compiles this file on its own,
 * so it uses the JDK alone): a port that is taken ends the start there, with one line naming the port and the setting
 * that moves it. Without that check, a taken Lambda mock event server port leaves dev mode waiting without a word.
 */
public final class LocalRunSetup {

    static final List<String> REAL_INTERCOM_VARIABLES = List.of("INTERCOM_ACCESS_TOKEN", "INTERCOM_BASE_URL",
            "INTERCOM_TOKEN_SECRET_ARN");
    static final List<String> REAL_INTERCOM_PROPERTIES = List.of("intercom.base-url", "intercom.access-token");

    static final String EVENT_SERVER_PORT = "quarkus.lambda.mock-event-server.dev-port";
    static final String SANDBOX_PORT = "sandbox.port";
    static final Path APPLICATION_PROPERTIES = Path.of("src", "main", "resources", "application.properties");

    private LocalRunSetup() {
    }

    /** Whether the local run talks to the sandbox rather than to a real Intercom. */
    public static boolean usesSandbox() {
        return usesSandbox(System.getenv(), System.getProperties());
    }

    static boolean usesSandbox(Map<String, String> environment, Properties systemProperties) {
        return REAL_INTERCOM_VARIABLES.stream().allMatch(name -> blank(environment.get(name)))
                && REAL_INTERCOM_PROPERTIES.stream().allMatch(name -> blank(systemProperties.getProperty(name)));
    }

    /** A port the local run listens on: what listens there, the setting, its value, the address it binds. */
    record Port(String what, String setting, int port, InetAddress address) {
    }

    /**
     * The ports the local run will listen on, with the configuration's precedence: a system property, then its
     * environment variable, then {@code %dev.}, {@code %local.} and plain keys of {@code application.properties}.
     */
    static List<Port> ports(Map<String, String> environment, Properties systemProperties, Properties application) {
        List<Port> ports = new ArrayList<>();
        setting(EVENT_SERVER_PORT, environment, systemProperties, application).ifPresent(port -> ports.add(new Port(
                "Lambda mock event server", EVENT_SERVER_PORT, port, null)));
        if (usesSandbox(environment, systemProperties)) {
            setting(SANDBOX_PORT, environment, systemProperties, application).ifPresent(port -> ports.add(new Port(
                    "Intercom sandbox", SANDBOX_PORT, port, InetAddress.getLoopbackAddress())));
        }
        return ports;
    }

    /** One line for each port that is taken, saying how to move it; empty when every port is free. */
    static List<String> problems(List<Port> ports) {
        return ports.stream().filter(port -> port.port() > 0 && !free(port)).map(LocalRunSetup::taken).toList();
    }

    /** The line for a port that is taken: the port, what listens there, the setting that moves it. */
    static String taken(Port port) {
        int other = port.port() + 1000 <= 65535 ? port.port() + 1000 : port.port() - 1000;
        String line = "error: port " + port.port() + " is in use, and the local run's " + port.what()
                + " listens there: stop what holds it, or start on another port with -D" + port.setting() + "=" + other;
        if (port.setting().equals(EVENT_SERVER_PORT)) {
            line += " (and export LOCAL_RUN_URL=http://localhost:" + other + " for infra/scripts/send-event.sh)";
        }
        return line;
    }

    /**
     * Run before the local run: {@code -Dkey=value} arguments stand for the Maven command line's settings (a value
     * Maven could not fill in, {@code ${...}}, counts as unset; other arguments are ignored); the working directory is
     * the project's. Exits 1 with one line on standard error for each taken port, or for a setting that is no port.
     */
    public static void main(String[] args) throws IOException {
        Properties commandLine = new Properties();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (arg.startsWith("-D") && eq > 2 && !arg.substring(eq + 1).startsWith("${")) {
                commandLine.setProperty(arg.substring(2, eq), arg.substring(eq + 1));
            }
        }
        Properties application = new Properties();
        try (InputStream in = Files.newInputStream(APPLICATION_PROPERTIES)) {
            application.load(in);
        }
        List<String> problems;
        try {
            problems = problems(ports(System.getenv(), commandLine, application));
        } catch (IllegalArgumentException e) {
            problems = List.of("error: " + e.getMessage());
        }
        if (!problems.isEmpty()) {
            problems.forEach(System.err::println);
            System.exit(1);
        }
    }

    private static Optional<Integer> setting(String key, Map<String, String> environment, Properties systemProperties,
            Properties application) {
        String value = systemProperties.getProperty(key);
        if (blank(value)) {
            value = environment.get(key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT));
        }
        for (String candidate : List.of("%dev." + key, "%local." + key, key)) {
            if (blank(value)) {
                value = application.getProperty(candidate);
            }
        }
        if (blank(value)) {
            return Optional.empty();
        }
        int port;
        try {
            port = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(key + " is not a port number (0 to 65535): " + value);
        }
        return Optional.of(port);
    }

    /** Whether the server could bind the port now, as it will (address reuse on, as Vert.x and the JDK set it). */
    private static boolean free(Port port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port.address(), port.port()));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
