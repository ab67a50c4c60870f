package dev.contactfunctions.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Runs the walkthrough of {@code docs/local-run.md} as a reader would: every command of the page, as written and in
 * the page's order, in bash at the root of the clone, against the local run's configuration (router, sandbox with the
 * demo workspace, local secrets and audit rules), and compares what each prints with the answer the page shows.
 */
@QuarkusTest
@TestProfile(LocalRunProfile.class)
class LocalRunWalkthroughTest {

    @Test
    void everyCommandOfTheWalkthroughPrintsTheAnswerThePageShows() throws Exception {
        List<WalkthroughPage.Step> steps = WalkthroughPage.read().steps();
        assertThat(steps).extracting(WalkthroughPage.Step::command).contains(
                "infra/scripts/send-event.sh infra/events/lead-capture-json.json",
                "infra/scripts/send-event.sh infra/events/lead-capture-form.json",
                "infra/scripts/send-event.sh infra/events/intercom-notification.json",
                "infra/scripts/send-event.sh infra/events/segment-audit.json",
                "infra/scripts/send-event.sh infra/events/identify.json",
                "infra/scripts/send-event.sh infra/events/lead-capture-typeform.json");

        for (int i = 0; i < steps.size(); i++) {
            WalkthroughPage.Step step = steps.get(i);
            String output = run(step.command());
            assertThat(step.answeredBy(output))
                    .as("step %d, '%s' printed:%n%s%nthe page shows:%n%s", i + 1, step.command(), output, step.answer())
                    .isTrue();
        }
    }

    @Test
    void theEventServerAndTheSandboxListenOnTheLoopbackInterfaceOnly() throws Exception {
        List<InetAddress> network = NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress()).toList();
        assumeThat(network).as("a network address of this machine to try from").isNotEmpty();
        int sandboxPort = ConfigProvider.getConfig().getValue("sandbox.port", Integer.class);

        for (int port : List.of(eventServerPort(), sandboxPort)) {
            assertThat(connects(InetAddress.getLoopbackAddress(), port)).as("127.0.0.1:%d", port).isTrue();
            for (InetAddress address : network) {
                assertThat(connects(address, port)).as("%s:%d, from the network", address.getHostAddress(), port)
                        .isFalse();
            }
        }
    }

    /** The port the local run's event server listens on, as the local configuration sets it. */
    private static int eventServerPort() {
        return ConfigProvider.getConfig().getValue("quarkus.lambda.mock-event-server.dev-port", Integer.class);
    }

    /** Whether a TCP connection to the address and port is accepted within 2 s. */
    static boolean connects(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String run(String command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-o", "pipefail", "-c", command).redirectErrorStream(true);
        builder.environment().put("LOCAL_RUN_URL", "http://localhost:" + eventServerPort());
        builder.environment().remove("WEBHOOK_SIGNING_SECRET");
        builder.environment().remove("IDENTIFY_SIGNING_SECRET");
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("'%s' finishes", command).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("exit status of '%s'; output:%n%s", command, output).isZero();
        return output;
    }
}
