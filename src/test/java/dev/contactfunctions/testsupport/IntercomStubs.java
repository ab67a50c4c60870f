package dev.contactfunctions.testsupport;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import dev.contactfunctions.intercom.ClientState;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/** What the WireMock tests of the client share: Intercom-shaped stubs and answers, and the checks after each test. */
public final class IntercomStubs {

    public static final String CONTACT_ID = "6657adc86abd0167d9419d1d";
    public static final String USER_ID = "6657add46abd0167d9419d22";

    private IntercomStubs() {
    }

    /** A request that matches only with the headers every Intercom call must carry. */
    public static MappingBuilder intercom(MappingBuilder request) {
        return request
                .withHeader("Authorization", equalTo("Bearer " + IntercomWireMock.TOKEN))
                .withHeader("Accept", equalTo("application/json"))
                .withHeader("Intercom-Version", equalTo("2.14"));
    }

    /** As {@link #intercom}, for a request with a JSON body. */
    public static MappingBuilder intercomJson(MappingBuilder request) {
        return intercom(request).withHeader("Content-Type", containing("application/json"));
    }

    public static ResponseDefinitionBuilder json(int status, String body) {
        return WireMock.aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withHeader("X-Request-Id", "req-" + status)
                .withBody(body);
    }

    public static ResponseDefinitionBuilder error(int status, String code, String message) {
        return json(status, """
                {"type":"error.list","request_id":"b2a2bd5e-0d7c-4d62-9d0d-4e0a9e1a8f4c",
                 "errors":[{"code":"%s","message":"%s"}]}""".formatted(code, message));
    }

    public static String contact(String id, String role, String email) {
        return """
                {"type":"contact","id":"%s","workspace_id":"ecahpwf5","external_id":null,"role":"%s","email":"%s",
                 "phone":null,"name":"Jane Doe","created_at":1717000000,"updated_at":1717000100,"signed_up_at":null,
                 "custom_attributes":{"utm_source":"ads"},"location":{"type":"location","country":"France"},
                 "tags":{"type":"list","data":[{"type":"tag","id":"81","url":"/tags/81"}],
                         "url":"/contacts/%s/tags","total_count":1,"has_more":false},
                 "opted_in_subscription_types":{"type":"list","data":[]}}""".formatted(id, role, email, id);
    }

    /** A page of contacts; {@code next} is the cursor of the following page, or null on the last one. */
    public static String page(int page, int totalPages, int totalCount, String next, String... ids) {
        StringBuilder data = new StringBuilder();
        for (String id : ids) {
            data.append(data.isEmpty() ? "" : ",").append(contact(id, "lead", id + "@example.com"));
        }
        String nextPage = next == null ? "" : ",\"next\":{\"page\":%d,\"starting_after\":\"%s\"}".formatted(page + 1, next);
        return """
                {"type":"list","data":[%s],"total_count":%d,
                 "pages":{"type":"pages","page":%d,"per_page":%d,"total_pages":%d%s}}"""
                .formatted(data, totalCount, page, ids.length, totalPages, nextPage);
    }

    /** Forgets what one test left in the client: an open circuit, a nearly spent rate-limit window. */
    public static void resetClientState() {
        CircuitBreakerMaintenance.get().resetAll();
        ClientState.forgetRateLimitWindow();
    }

    /**
     * Every request sent carried exactly one bearer token, {@code Accept: application/json} and the pinned version, and
     * is valid against Intercom's OpenAPI description (when it is available).
     */
    public static void assertEveryRequestWellFormed(WireMockServer wireMock) {
        for (ServeEvent event : wireMock.getAllServeEvents()) {
            var request = event.getRequest();
            String call = request.getMethod() + " " + request.getUrl();
            assertThat(values(request.getHeaders().getHeader("Authorization"))).as(call)
                    .containsExactly("Bearer " + IntercomWireMock.TOKEN);
            assertThat(values(request.getHeaders().getHeader("Accept"))).as(call).containsExactly("application/json");
            assertThat(values(request.getHeaders().getHeader("Intercom-Version"))).as(call).containsExactly("2.14");
        }
        assertThat(IntercomWireMock.contractViolations(wireMock)).isEmpty();
    }

    private static List<String> values(HttpHeader header) {
        return header.isPresent() ? header.values() : List.of();
    }

}
