package dev.contactfunctions.testsupport;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import dev.contactfunctions.intercom.ClientState;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * Intercom answers shaped as the 2.14 API gives them, for the WireMock tests: stubs, answers, the checks after each
 * test. {@code contact(id, role, email)} is a full contact as JSON text; {@code contact(id, role, email, updatedAt)} a
 * contact to build on ({@link #withTag}).
 */
public final class IntercomStubs {

    public static final String CONTACT_ID = "6657adc86abd0167d9419d1d";
    public static final String USER_ID = "6657add46abd0167d9419d22";
    /** Custom attributes the committed lead-capture JSON event writes. */
    public static final List<String> EVENT_ATTRIBUTES = List.of("company_size", "seats", "newsletter_opt_in", "utm_source",
            "utm_medium", "utm_campaign", "utm_term", "utm_content", "landing_page", "referrer", "first_utm_source",
            "first_utm_medium", "first_utm_campaign", "first_utm_term", "first_utm_content", "first_landing_page",
            "first_referrer");
    public static final Map<String, String> TYPES = Map.of("seats", "integer", "newsletter_opt_in", "boolean");

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

    public static ResponseDefinitionBuilder ok(Object body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body.toString());
    }

    public static ObjectNode contact(String id, String role, String email, long updatedAt) {
        ObjectNode contact = JsonNodeFactory.instance.objectNode().put("type", "contact").put("id", id)
                .put("workspace_id", "ecahpwf5").put("role", role).put("email", email).putNull("name")
                .putNull("phone").put("created_at", updatedAt - 100).put("updated_at", updatedAt);
        contact.putObject("custom_attributes");
        ObjectNode tags = contact.putObject("tags");
        tags.put("type", "list").putArray("data");
        tags.put("url", "/contacts/" + id + "/tags").put("total_count", 0).put("has_more", false);
        return contact;
    }

    public static ObjectNode withTag(ObjectNode contact, String tagId) {
        ObjectNode tags = (ObjectNode) contact.get("tags");
        ((ArrayNode) tags.get("data")).addObject().put("type", "tag").put("id", tagId).put("url", "/tags/" + tagId);
        tags.put("total_count", tags.get("data").size());
        return contact;
    }

    public static ObjectNode searchPage(ObjectNode... contacts) {
        ObjectNode page = JsonNodeFactory.instance.objectNode().put("type", "list");
        ArrayNode data = page.putArray("data");
        Stream.of(contacts).forEach(data::add);
        page.put("total_count", contacts.length);
        page.putObject("pages").put("type", "pages").put("page", 1).put("per_page", 150).put("total_pages", 1);
        return page;
    }

    public static ObjectNode dataAttributes(List<String> customNames) {
        ObjectNode list = JsonNodeFactory.instance.objectNode().put("type", "list");
        ArrayNode data = list.putArray("data");
        for (String standard : List.of("name", "email", "phone")) {
            data.addObject().put("type", "data_attribute").put("model", "contact").put("name", standard)
                    .put("full_name", standard).put("data_type", "string").put("custom", false);
        }
        int id = 1000;
        for (String name : customNames) {
            data.addObject().put("type", "data_attribute").put("id", id++).put("model", "contact").put("name", name)
                    .put("full_name", "custom_attributes." + name).put("data_type", TYPES.getOrDefault(name, "string"))
                    .put("api_writable", true).put("custom", true).put("archived", false);
        }
        return list;
    }

    public static ObjectNode dataAttribute(String name, String type) {
        return JsonNodeFactory.instance.objectNode().put("type", "data_attribute").put("id", 4242)
                .put("model", "contact").put("name", name).put("full_name", "custom_attributes." + name)
                .put("data_type", type).put("custom", true).put("archived", false);
    }

    public static ObjectNode tag(String id, String name) {
        return JsonNodeFactory.instance.objectNode().put("type", "tag").put("id", id).put("name", name);
    }

    public static ObjectNode tagList(ObjectNode... tags) {
        ObjectNode list = JsonNodeFactory.instance.objectNode().put("type", "list");
        ArrayNode data = list.putArray("data");
        Stream.of(tags).forEach(data::add);
        return list;
    }

    /** The workspace of the committed JSON event: every attribute it names exists, and so do its two tags. */
    public static void stubWorkspace(WireMockServer wireMock) {
        wireMock.stubFor(get(urlPathEqualTo("/data_attributes")).willReturn(ok(dataAttributes(EVENT_ATTRIBUTES))));
        wireMock.stubFor(get(urlPathEqualTo("/tags")).willReturn(ok(tagList(tag("101", "pricing-page"),
                tag("102", "spring-launch"), tag("103", "demo-request"), tag("104", "newsletter")))));
        wireMock.stubFor(post(urlPathEqualTo("/contacts/search")).willReturn(ok(searchPage())));
    }

    public static void stubCreate(WireMockServer wireMock, ObjectNode created) {
        wireMock.stubFor(post(urlPathEqualTo("/contacts")).willReturn(ok(created)));
    }

    public static void stubUpdate(WireMockServer wireMock, ObjectNode updated) {
        wireMock.stubFor(put(urlPathEqualTo("/contacts/" + updated.get("id").asText())).willReturn(ok(updated)));
    }

    public static void stubTagging(WireMockServer wireMock, String contactId) {
        wireMock.stubFor(post(urlPathEqualTo("/contacts/" + contactId + "/tags")).willReturn(ok(tag("101", "x"))));
    }

    /** Requests that change something in Intercom: anything but a GET or a search. */
    public static List<ServeEvent> writes(WireMockServer wireMock) {
        return wireMock.getAllServeEvents().stream()
                .filter(e -> !RequestMethod.GET.equals(e.getRequest().getMethod()))
                .filter(e -> !e.getRequest().getUrl().startsWith("/contacts/search"))
                .toList();
    }

    public static List<String> calls(WireMockServer wireMock) {
        return wireMock.getAllServeEvents().stream()
                .map(e -> e.getRequest().getMethod() + " " + e.getRequest().getUrl()).toList();
    }
}
