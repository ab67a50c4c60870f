package dev.contactfunctions.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./mvnw quarkus:dev -Dlocal} on a taken port, as a reader types it: the start ends by itself, before anything
 * is compiled, with the line naming the port and the setting that moves it. (Before the check, a taken Lambda mock
 * event server port left dev mode waiting without a word.)
 */
class LocalRunPortsIT {

    @TempDir
    Path work;

    @Test
    void aTakenMockEventServerPortEndsTheLocalRunWithOneLineNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            Path output = work.resolve("local-run.log");
            ProcessBuilder builder = new ProcessBuilder(List.of("./mvnw", "-B", "quarkus:dev", "-Dlocal",
                    "-Dquarkus.lambda.mock-event-server.dev-port=" + port, "-Dsandbox.port=0"))
                    .redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            LocalRunSetup.REAL_INTERCOM_VARIABLES.forEach(builder.environment()::remove);
            Process process = builder.start();
            boolean ended = process.waitFor(120, TimeUnit.SECONDS);
            if (!ended) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            String log = Files.readString(output, StandardCharsets.UTF_8);

            assertThat(ended).as("the local run ends by itself; it printed:%n%s", log).isTrue();
            assertThat(process.exitValue()).isNotZero();
            assertThat(log).contains("error: port " + port + " is in use, and the local run's Lambda mock event server"
                    + " listens there: stop what holds it, or start on another port with"
                    + " -Dquarkus.lambda.mock-event-server.dev-port=")
                    .doesNotContain("Compiling");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
