package dev.contactfunctions.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The local run's ports: where they come from, and a taken one named with the setting that moves it, by the script
 * that {@code ./mvnw} and the {@code local} profile run before the local run (run here as they run it).
 * {@code LocalRunPortsIT} runs {@code ./mvnw quarkus:dev -Dlocal} itself on a taken port.
 */
class LocalRunSetupTest {

    @Test
    void thePortsComeFromTheCommandLineThenTheEnvironmentThenTheLocalProfile() throws IOException {
        Properties application = applicationProperties();

        assertThat(LocalRunSetup.ports(Map.of(), new Properties(), application))
                .extracting(LocalRunSetup.Port::setting, LocalRunSetup.Port::port)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(LocalRunSetup.EVENT_SERVER_PORT, 8080),
                        org.assertj.core.groups.Tuple.tuple(LocalRunSetup.SANDBOX_PORT, 8089));
        assertThat(LocalRunSetup.ports(Map.of("QUARKUS_LAMBDA_MOCK_EVENT_SERVER_DEV_PORT", "9080", "SANDBOX_PORT",
                "9089"), new Properties(), application)).extracting(LocalRunSetup.Port::port).containsExactly(9080, 9089);
        assertThat(LocalRunSetup.ports(Map.of("QUARKUS_LAMBDA_MOCK_EVENT_SERVER_DEV_PORT", "9080"),
                properties(LocalRunSetup.EVENT_SERVER_PORT, "7080"), application))
                .extracting(LocalRunSetup.Port::port).containsExactly(7080, 8089);
    }

    @Test
    void aTakenMockEventServerPortIsNamedWithTheSettingThatMovesIt() throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            List<LocalRunSetup.Port> ports = LocalRunSetup.ports(Map.of(),
                    properties(LocalRunSetup.EVENT_SERVER_PORT, Integer.toString(port), LocalRunSetup.SANDBOX_PORT, "0"),
                    applicationProperties());

            assertThat(LocalRunSetup.problems(ports)).containsExactly("error: port " + port + " is in use, and the"
                    + " local run's Lambda mock event server listens there: stop what holds it, or start on another"
                    + " port with -Dquarkus.lambda.mock-event-server.dev-port=" + other(port) + " (and export"
                    + " LOCAL_RUN_URL=http://localhost:" + other(port) + " for infra/scripts/send-event.sh)");
        }
    }

    @Test
    void aTakenSandboxPortIsNamedUnlessARealIntercomIsConfigured() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Properties commandLine = properties(LocalRunSetup.EVENT_SERVER_PORT, "0", LocalRunSetup.SANDBOX_PORT,
                    Integer.toString(port));

            assertThat(LocalRunSetup.problems(LocalRunSetup.ports(Map.of(), commandLine, applicationProperties())))
                    .containsExactly("error: port " + port + " is in use, and the local run's Intercom sandbox listens"
                            + " there: stop what holds it, or start on another port with -Dsandbox.port=" + other(port));
            assertThat(LocalRunSetup.problems(LocalRunSetup.ports(Map.of("INTERCOM_ACCESS_TOKEN", "tok"), commandLine,
                    applicationProperties()))).as("no sandbox against a real Intercom").isEmpty();
        }
    }

    @Test
    void freePortsPass() throws IOException {
        int eventServer;
        int sandbox;
        try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
            eventServer = a.getLocalPort();
            sandbox = b.getLocalPort();
        }
        assertThat(LocalRunSetup.problems(LocalRunSetup.ports(Map.of(), properties(LocalRunSetup.EVENT_SERVER_PORT,
                Integer.toString(eventServer), LocalRunSetup.SANDBOX_PORT, Integer.toString(sandbox)),
                applicationProperties()))).isEmpty();
    }

    @Test
    void theCheckEndsWithOneLineOnATakenPortAndSilentlyOnFreeOnes() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            // as pom.xml passes them: a setting Maven does not know stays ${...} (./mvnw passes its arguments as typed)
            Run busy = runAsMavenDoes("-Dquarkus.lambda.mock-event-server.dev-port=" + port, "-Dsandbox.port=0",
                    "-Dintercom.base-url=${intercom.base-url}");
            Run free = runAsMavenDoes("-Dquarkus.lambda.mock-event-server.dev-port=0", "-Dsandbox.port=${sandbox.port}",
                    "-Dintercom.base-url=${intercom.base-url}", "-Dintercom.access-token=x");

            assertThat(busy.exit()).as(busy.toString()).isEqualTo(1);
            assertThat(busy.err().lines().toList()).singleElement().asString()
                    .startsWith("error: port " + port + " is in use, and the local run's Lambda mock event server");
            assertThat(free.exit()).as(free.toString()).isZero();
            assertThat(free.err()).isEmpty();
        }
    }

    @Test
    void aSettingThatIsNoPortEndsTheCheckWithOneLine() throws Exception {
        Run letters = runAsMavenDoes("-Dquarkus.lambda.mock-event-server.dev-port=0", "-Dsandbox.port=eighty");
        Run tooHigh = runAsMavenDoes("-Dquarkus.lambda.mock-event-server.dev-port=70000", "-Dsandbox.port=0");

        assertThat(letters.exit()).as(letters.toString()).isEqualTo(1);
        assertThat(letters.err()).isEqualTo("error: sandbox.port is not a port number (0 to 65535): eighty\n");
        assertThat(tooHigh.exit()).as(tooHigh.toString()).isEqualTo(1);
        assertThat(tooHigh.err()).isEqualTo("error: quarkus.lambda.mock-event-server.dev-port is not a port number"
                + " (0 to 65535): 70000\n");
    }

    @Test
    void theLocalRunPageShowsTheLinesOfTakenDefaultPorts() throws IOException {
        String page = Files.readString(Path.of("docs", "local-run.md"));
        for (LocalRunSetup.Port port : LocalRunSetup.ports(Map.of(), new Properties(), applicationProperties())) {
            assertThat(page).contains(LocalRunSetup.taken(port));
        }
    }

    record Run(int exit, String err) {
    }

    private static Run runAsMavenDoes(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("src/sandbox/sh/local-run-ports.sh"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        LocalRunSetup.REAL_INTERCOM_VARIABLES.forEach(builder.environment()::remove);
        builder.environment().remove("QUARKUS_LAMBDA_MOCK_EVENT_SERVER_DEV_PORT");
        builder.environment().remove("SANDBOX_PORT");
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("finishes").isTrue();
        try (InputStream err = process.getErrorStream()) {
            return new Run(process.exitValue(), new String(err.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static int other(int port) {
        return port + 1000 <= 65535 ? port + 1000 : port - 1000;
    }

    private static Properties properties(String... keyValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }

    private static Properties applicationProperties() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(LocalRunSetup.APPLICATION_PROPERTIES)) {
            properties.load(in);
        }
        return properties;
    }
}
