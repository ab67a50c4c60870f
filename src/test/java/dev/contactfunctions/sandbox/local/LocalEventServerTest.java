package dev.contactfunctions.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The local run's event server: an event posted to it waits for what Quarkus's poll loop answers through the Lambda
 * Runtime API, and it listens where {@code local-run.host} says, the loopback interface unless told otherwise.
 */
class LocalEventServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String INVOCATION = LocalEventServer.RUNTIME_API + "/invocation/";

    @Test
    void anEventIsAnsweredWithWhatTheFunctionReturnsOrItsErrorAndAHandedBackEventIsHandedOutAgain() throws Exception {
        try (LocalEventServer server = LocalEventServer.start(InetAddress.getLoopbackAddress(), 0)) {
            String base = "http://127.0.0.1:" + server.address().getPort();

            CompletableFuture<HttpResponse<String>> first = post(base + "/", "{\"n\":1}");
            HttpResponse<String> next = get(base + INVOCATION + "next");
            String id = next.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
            assertThat(next.body()).isEqualTo("{\"n\":1}");
            // a live reload: the poll loop hands it back, the restarted one takes it again
            assertThat(post(base + INVOCATION + id + "/requeue", "").get(5, TimeUnit.SECONDS).statusCode())
                    .isEqualTo(202);
            HttpResponse<String> again = get(base + INVOCATION + "next");
            assertThat(again.headers().firstValue("Lambda-Runtime-Aws-Request-Id")).contains(id);
            post(base + INVOCATION + id + "/response", "{\"statusCode\":200}").get(5, TimeUnit.SECONDS);
            assertThat(first.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(first.get().body()).isEqualTo("{\"statusCode\":200}");

            CompletableFuture<HttpResponse<String>> failing = post(base + "/", "{\"n\":2}");
            String failingId = get(base + INVOCATION + "next").headers().firstValue("Lambda-Runtime-Aws-Request-Id")
                    .orElseThrow();
            post(base + INVOCATION + failingId + "/error", "{\"errorType\":\"X\"}").get(5, TimeUnit.SECONDS);
            assertThat(failing.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(500);
            assertThat(failing.get().body()).contains("errorType");
        }
    }

    @Test
    void itListensOnTheAddressItIsGivenAndOnNoOther() throws Exception {
        List<InetAddress> network = NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress()).toList();
        assumeThat(network).as("a network address of this machine to try from").isNotEmpty();

        try (LocalEventServer loopback = LocalEventServer.start(LocalEventServer.address("127.0.0.1"), 0)) {
            int port = loopback.address().getPort();
            assertThat(LocalRunWalkthroughTest.connects(InetAddress.getLoopbackAddress(), port)).isTrue();
            assertThat(network).noneMatch(address -> LocalRunWalkthroughTest.connects(address, port));
        }
        try (LocalEventServer open = LocalEventServer.start(LocalEventServer.address("0.0.0.0"), 0)) {
            int port = open.address().getPort();
            assertThat(network).allMatch(address -> LocalRunWalkthroughTest.connects(address, port));
        }
    }

    private static CompletableFuture<HttpResponse<String>> post(String url, String body) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).get(5, TimeUnit.SECONDS);
    }

}
