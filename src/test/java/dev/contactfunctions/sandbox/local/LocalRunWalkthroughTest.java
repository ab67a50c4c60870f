package dev.contactfunctions.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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

    private static final ObjectMapper JSON = new ObjectMapper();

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

    /**
     * Each form tool's sample, signed as its vendor signs it, makes exactly one lead with its attribution in the local
     * run; sent again, it is answered from the ledger without any call to Intercom. Runs after the walkthrough or
     * alone: the Typeform sample may already have been delivered.
     */
    @Test
    void eachFormToolsSampleMakesOneLeadWithItsAttributionAndItsRepeatCallsNoIntercom() throws Exception {
        Map<String, List<String>> samples = new LinkedHashMap<>();
        samples.put("typeform", List.of("laura@example.com", "newsletter"));
        samples.put("tally", List.of("alice.martin@example.com", "linkedin"));
        samples.put("webflow", List.of("zaphod@heartofgold.ai", "heartofgold"));
        for (Map.Entry<String, List<String>> sample : samples.entrySet()) {
            String send = "infra/scripts/send-event.sh infra/events/lead-capture-" + sample.getKey() + ".json";
            JsonNode first = answer(run(send));
            assertThat(first.path("statusCode").asInt()).as("%s: %s", send, first).isEqualTo(200);
            String contactId = first.path("body").path("contact_id").asText();

            List<JsonNode> leads = new ArrayList<>();
            for (JsonNode contact : sandbox("/_sandbox/contacts").path("contacts")) {
                if (sample.getValue().get(0).equals(contact.path("email").asText())) {
                    leads.add(contact);
                }
            }
            assertThat(leads).as("contacts with %s", sample.getValue().get(0)).hasSize(1);
            assertThat(leads.get(0).path("id").asText()).isEqualTo(contactId);
            assertThat(leads.get(0).path("role").asText()).isEqualTo("lead");
            assertThat(leads.get(0).path("custom_attributes").path("utm_source").asText())
                    .as("%s's attribution", sample.getKey()).isEqualTo(sample.getValue().get(1));

            long callsBefore = sandbox("/_sandbox/stats").path("total").asLong();
            JsonNode again = answer(run(send));
            assertThat(again.path("statusCode").asInt()).isEqualTo(200);
            assertThat(again.path("body").path("contact_id").asText()).isEqualTo(contactId);
            assertThat(sandbox("/_sandbox/stats").path("total").asLong()).as("Intercom calls for the repeat")
                    .isEqualTo(callsBefore);
        }
    }

    /** The function's answer send-event.sh prints (a JSON object, after any line of its own). */
    private static JsonNode answer(String output) throws IOException {
        return JSON.readTree(output.substring(Math.max(0, output.indexOf('{'))));
    }

    private static JsonNode sandbox(String path) throws IOException, InterruptedException {
        int port = ConfigProvider.getConfig().getValue("sandbox.port", Integer.class);
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
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
