package dev.contactfunctions.testsupport;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A WireMock server standing in for Intercom, on a free port. Put {@code @WithTestResource(IntercomWireMock.class)} on
 * every test class that needs it (always alone, so that all of them share one Quarkus start) and receive the server in
 * a {@code @InjectWireMock WireMockServer} field.
 */
public class IntercomWireMock implements QuarkusTestResourceLifecycleManager {

    public static final String TOKEN = "test-token";

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(wireMockConfig().dynamicPort());
        server.start();
        return Map.of(
                "intercom.base-url", server.baseUrl(),
                "intercom.access-token", TOKEN);
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(server,
                new TestInjector.AnnotatedAndMatchesType(InjectWireMock.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
