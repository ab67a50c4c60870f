package dev.contactfunctions.leadcapture;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/** Intercom answers shaped as the 2.14 API gives them, and stubs for the calls lead capture makes. */
final class IntercomStubs {

    /** Custom attributes the committed JSON event writes. */
    static final List<String> EVENT_ATTRIBUTES = List.of("company_size", "seats", "newsletter_opt_in", "utm_source",
            "utm_medium", "utm_campaign", "utm_term", "utm_content", "landing_page", "referrer", "first_utm_source",
            "first_utm_medium", "first_utm_campaign", "first_utm_term", "first_utm_content", "first_landing_page",
            "first_referrer");
    static final Map<String, String> TYPES = Map.of("seats", "integer", "newsletter_opt_in", "boolean");

    private IntercomStubs() {
    }

    static ResponseDefinitionBuilder ok(Object body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body.toString());
    }

    static ResponseDefinitionBuilder error(int status, String code, String message) {
        ObjectNode body = LeadCaptureEvents.JSON.createObjectNode().put("type", "error.list")
                .put("request_id", "req-" + status);
        body.putArray("errors").addObject().put("code", code).put("message", message);
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body.toString());
    }

    static ObjectNode contact(String id, String role, String email, long updatedAt) {
        ObjectNode contact = LeadCaptureEvents.JSON.createObjectNode().put("type", "contact").put("id", id)
                .put("workspace_id", "ecahpwf5").put("role", role).put("email", email).putNull("name")
                .putNull("phone").put("created_at", updatedAt - 100).put("updated_at", updatedAt);
        contact.putObject("custom_attributes");
        ObjectNode tags = contact.putObject("tags");
        tags.put("type", "list").putArray("data");
        tags.put("url", "/contacts/" + id + "/tags").put("total_count", 0).put("has_more", false);
        return contact;
    }

    static ObjectNode withTag(ObjectNode contact, String tagId) {
        ObjectNode tags = (ObjectNode) contact.get("tags");
        ((ArrayNode) tags.get("data")).addObject().put("type", "tag").put("id", tagId).put("url", "/tags/" + tagId);
        tags.put("total_count", tags.get("data").size());
        return contact;
    }

    static ObjectNode searchPage(ObjectNode... contacts) {
        ObjectNode page = LeadCaptureEvents.JSON.createObjectNode().put("type", "list");
        ArrayNode data = page.putArray("data");
        Stream.of(contacts).forEach(data::add);
        page.put("total_count", contacts.length);
        page.putObject("pages").put("type", "pages").put("page", 1).put("per_page", 150).put("total_pages", 1);
        return page;
    }

    static ObjectNode dataAttributes(List<String> customNames) {
        ObjectNode list = LeadCaptureEvents.JSON.createObjectNode().put("type", "list");
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

    static ObjectNode dataAttribute(String name, String type) {
        return LeadCaptureEvents.JSON.createObjectNode().put("type", "data_attribute").put("id", 4242)
                .put("model", "contact").put("name", name).put("full_name", "custom_attributes." + name)
                .put("data_type", type).put("custom", true).put("archived", false);
    }

    static ObjectNode tag(String id, String name) {
        return LeadCaptureEvents.JSON.createObjectNode().put("type", "tag").put("id", id).put("name", name);
    }

    static ObjectNode tagList(ObjectNode... tags) {
        ObjectNode list = LeadCaptureEvents.JSON.createObjectNode().put("type", "list");
        ArrayNode data = list.putArray("data");
        Stream.of(tags).forEach(data::add);
        return list;
    }

    /** The workspace of the committed JSON event: every attribute it names exists, and so do its two tags. */
    static void stubWorkspace(WireMockServer wireMock) {
        wireMock.stubFor(get(urlPathEqualTo("/data_attributes")).willReturn(ok(dataAttributes(EVENT_ATTRIBUTES))));
        wireMock.stubFor(get(urlPathEqualTo("/tags")).willReturn(ok(tagList(tag("101", "pricing-page"),
                tag("102", "spring-launch"), tag("103", "demo-request"), tag("104", "newsletter")))));
        wireMock.stubFor(post(urlPathEqualTo("/contacts/search")).willReturn(ok(searchPage())));
    }

    static void stubCreate(WireMockServer wireMock, ObjectNode created) {
        wireMock.stubFor(post(urlPathEqualTo("/contacts")).willReturn(ok(created)));
    }

    static void stubUpdate(WireMockServer wireMock, ObjectNode updated) {
        wireMock.stubFor(put(urlPathEqualTo("/contacts/" + updated.get("id").asText())).willReturn(ok(updated)));
    }

    static void stubTagging(WireMockServer wireMock, String contactId) {
        wireMock.stubFor(post(urlPathEqualTo("/contacts/" + contactId + "/tags")).willReturn(ok(tag("101", "x"))));
    }

    /** Requests that change something in Intercom: anything but a GET or a search. */
    static List<ServeEvent> writes(WireMockServer wireMock) {
        return wireMock.getAllServeEvents().stream()
                .filter(e -> !RequestMethod.GET.equals(e.getRequest().getMethod()))
                .filter(e -> !e.getRequest().getUrl().startsWith("/contacts/search"))
                .toList();
    }

    static List<String> calls(WireMockServer wireMock) {
        return wireMock.getAllServeEvents().stream()
                .map(e -> e.getRequest().getMethod() + " " + e.getRequest().getUrl()).toList();
    }
}
