package dev.contactfunctions.testsupport;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

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

    /**
     * Every request the server received that Intercom's OpenAPI description refuses, as
     * {@code "METHOD url: problem"}, oldest first. Empty when the description is not available: then the requests are
     * counted as unchecked, and the run's last line ({@link OpenApiContractSummary}) says so.
     */
    public static List<String> contractViolations(WireMockServer server) {
        List<LoggedRequest> received = server.getAllServeEvents().stream()
                .map(ServeEvent::getRequest)
                .sorted(Comparator.comparing(LoggedRequest::getLoggedDate))
                .toList();
        List<List<String>> problems = OpenApiContract.checkRequests(received.stream()
                .map(request -> new OpenApiContract.Received(request.getMethod().getName(),
                        URI.create(request.getUrl()).getRawPath(), queryOf(request), headersOf(request),
                        request.getBodyAsString()))
                .toList());
        List<String> violations = new ArrayList<>();
        for (int i = 0; i < received.size(); i++) {
            LoggedRequest request = received.get(i);
            problems.get(i).forEach(problem -> violations.add(request.getMethod() + " " + request.getUrl() + ": "
                    + problem));
        }
        return violations;
    }

    private static Map<String, List<String>> queryOf(LoggedRequest request) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        request.getQueryParams().forEach((name, parameter) -> query.put(name, parameter.values()));
        return query;
    }

    private static Map<String, List<String>> headersOf(LoggedRequest request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpHeader header : request.getHeaders().all()) {
            headers.put(header.key(), header.values());
        }
        return headers;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
