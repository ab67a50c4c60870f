package dev.contactfunctions.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./mvnw quarkus:dev -Dlocal} on a taken port, as a reader types it: the start ends by itself with the line
 * naming the port and the setting that moves it, before Maven starts (the wrapper checks first), and Maven started
 * without the wrapper ends the same way before anything is compiled. (Before the check, a taken Lambda mock event
 * server port left dev mode waiting without a word.) Each prints how long the command took; the time is measured,
 * not asserted.
 */
class LocalRunPortsIT {

    static final String EVENT_SERVER_LINE = " is in use, and the local run's Lambda mock event server listens there:"
            + " stop what holds it, or start on another port with -Dquarkus.lambda.mock-event-server.dev-port=";
    static final String SANDBOX_LINE = " is in use, and the local run's Intercom sandbox listens there: stop what"
            + " holds it, or start on another port with -Dsandbox.port=";

    @TempDir
    Path work;

    @Test
    void theWrapperEndsTheLocalRunOnATakenMockEventServerPortWithOneLineBeforeMavenStarts() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            Run run = run("wrapper, event server port taken", List.of("./mvnw", "-B", "quarkus:dev", "-Dlocal",
                    "-Dquarkus.lambda.mock-event-server.dev-port=" + port, "-Dsandbox.port=0"));

            assertThat(run.exit()).as(run.log()).isEqualTo(1);
            assertThat(run.log().lines().toList()).as("only the line: Maven never started").singleElement()
                    .asString().startsWith("error: port " + port + EVENT_SERVER_LINE);
        }
    }

    @Test
    void mavenWithoutTheWrapperEndsTheLocalRunOnATakenSandboxPortBeforeCompiling() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Path mvn = Path.of(System.getProperty("maven.home"), "bin", "mvn");
            Run run = run("Maven without the wrapper, sandbox port taken", List.of(mvn.toString(), "-B",
                    "quarkus:dev", "-Dlocal", "-Dquarkus.lambda.mock-event-server.dev-port=0", "-Dsandbox.port=" + port));

            assertThat(run.exit()).as(run.log()).isNotZero();
            assertThat(run.log()).contains("[ERROR] Failed to execute goal", "error: port " + port + SANDBOX_LINE)
                    .doesNotContain("Compiling");
        }
    }

    record Run(int exit, String log) {
    }

    private Run run(String what, List<String> command) throws Exception {
        Path output = work.resolve("local-run.log");
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        LocalRunSetup.REAL_INTERCOM_VARIABLES.forEach(builder.environment()::remove);
        builder.environment().remove("QUARKUS_LAMBDA_MOCK_EVENT_SERVER_DEV_PORT");
        builder.environment().remove("SANDBOX_PORT");
        builder.environment().remove("MAVEN_ARGS");
        long start = System.nanoTime();
        Process process = builder.start();
        boolean ended = process.waitFor(180, TimeUnit.SECONDS);
        if (!ended) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        String log = Files.readString(output, StandardCharsets.UTF_8);
        System.out.printf("local-run ports: %s: ended after %.1f s%n", what, (System.nanoTime() - start) / 1e9);
        assertThat(ended).as("the local run ends by itself; it printed:%n%s", log).isTrue();
        return new Run(process.exitValue(), log);
    }
}
