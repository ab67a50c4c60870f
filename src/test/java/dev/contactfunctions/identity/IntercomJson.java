package dev.contactfunctions.identity;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Intercom-shaped response bodies for WireMock stubs (contract.md §2, §5.6, §11.1). */
final class IntercomJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private IntercomJson() {
    }

    static ObjectNode contact(String id, String role, String email, String externalId, long createdAt,
            Map<String, ?> customAttributes) {
        ObjectNode contact = JSON.createObjectNode();
        contact.put("type", "contact");
        contact.put("id", id);
        contact.put("workspace_id", "ecahpwf5");
        contact.put("external_id", externalId);
        contact.put("role", role);
        contact.put("email", email);
        contact.put("name", (String) null);
        contact.put("created_at", createdAt);
        contact.put("updated_at", createdAt);
        contact.set("custom_attributes", JSON.valueToTree(customAttributes));
        ObjectNode tags = contact.putObject("tags");
        tags.put("type", "list");
        tags.putArray("data");
        tags.put("url", "/contacts/" + id + "/tags");
        tags.put("total_count", 0);
        tags.put("has_more", false);
        return contact;
    }

    static ObjectNode user(String id, String email, String externalId, Map<String, ?> customAttributes) {
        return contact(id, "user", email, externalId, 1_700_000_000L, customAttributes);
    }

    static ObjectNode lead(String id, String email, long createdAt, Map<String, ?> customAttributes) {
        return contact(id, "lead", email, null, createdAt, customAttributes);
    }

    /** A contact with some fields replaced: what an update or merge answers. */
    static ObjectNode with(ObjectNode contact, Map<String, ?> fields) {
        ObjectNode copy = contact.deepCopy();
        fields.forEach((k, v) -> copy.set(k, JSON.valueToTree(v)));
        return copy;
    }

    static ObjectNode withAttributes(ObjectNode contact, Map<String, ?> attributes) {
        ObjectNode copy = contact.deepCopy();
        ObjectNode custom = (ObjectNode) copy.get("custom_attributes");
        attributes.forEach((k, v) -> custom.set(k, JSON.valueToTree(v)));
        return copy;
    }

    /** One search or list page; {@code next} is the cursor of the next page, or null on the last. */
    static ObjectNode page(List<ObjectNode> contacts, int totalCount, String next) {
        ObjectNode page = JSON.createObjectNode();
        page.put("type", "list");
        ArrayNode data = page.putArray("data");
        contacts.forEach(data::add);
        page.put("total_count", totalCount);
        ObjectNode pages = page.putObject("pages");
        pages.put("type", "pages");
        pages.put("page", 1);
        pages.put("per_page", 150);
        pages.put("total_pages", next == null ? 1 : 2);
        if (next != null) {
            pages.putObject("next").put("page", 2).put("starting_after", next);
        }
        return page;
    }

    static ObjectNode page(ObjectNode... contacts) {
        return page(List.of(contacts), contacts.length, null);
    }

    static ObjectNode error(String code, String message) {
        ObjectNode error = JSON.createObjectNode();
        error.put("type", "error.list");
        error.put("request_id", "0f8c9d3e-6a51-4b7e-9c2d-1e4f5a6b7c8d");
        error.putArray("errors").addObject().put("code", code).put("message", message);
        return error;
    }

    /** {@code GET /data_attributes?model=contact}: one standard attribute and these custom ones (name -> type). */
    static ObjectNode dataAttributes(Map<String, String> custom) {
        ObjectNode list = JSON.createObjectNode();
        list.put("type", "list");
        ArrayNode data = list.putArray("data");
        data.addObject().put("type", "data_attribute").put("model", "contact").put("name", "email")
                .put("full_name", "email").put("data_type", "string").put("custom", false).put("archived", false);
        long id = 1;
        for (Map.Entry<String, String> attribute : custom.entrySet()) {
            data.addObject().put("type", "data_attribute").put("id", id++).put("model", "contact")
                    .put("name", attribute.getKey()).put("full_name", "custom_attributes." + attribute.getKey())
                    .put("data_type", attribute.getValue()).put("api_writable", true).put("custom", true)
                    .put("archived", false);
        }
        return list;
    }
}
