package dev.contactfunctions.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The straightforward way to do what the functions do, as common Intercom integrations do it,
 * written against the same sandbox so that its calls are counted the same way. No ledger, no idempotency, no
 * change detection, no batching of attribute copies; generous where it costs nothing (tag ids known in advance).
 */
final class NaiveIntercom {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String baseUrl;
    private final String token;

    NaiveIntercom(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /**
     * Lead capture as RudderStack, Segment and PostHog do it: search the email; update the first hit, else create a
     * lead; then tag the contact with each of the form's tags.
     */
    void captureLead(String email, String name, Map<String, Object> attributes, List<String> tagIds) {
        ObjectNode fields = JSON.createObjectNode().put("name", name);
        fields.set("custom_attributes", JSON.valueToTree(attributes));
        JsonNode hits = search(eq("email", email), 50).get("data");
        String id;
        if (hits.size() > 0) {
            id = hits.get(0).get("id").asText();
            send("PUT", "/contacts/" + id, fields);
        } else {
            id = send("POST", "/contacts", fields.deepCopy().put("role", "lead").put("email", email)).get("id").asText();
        }
        for (String tagId : tagIds) {
            send("POST", "/contacts/" + id + "/tags", JSON.createObjectNode().put("id", tagId));
        }
    }

    /**
     * Identify and merge without a direct lookup or batching: one search for the user by external_id or email (as
     * RudderStack's OR search), update or create it, search the person's leads, and for each lead copy its
     * attributes onto the user, then merge it.
     */
    void identify(String externalId, String email, String name, Map<String, Object> attributes) {
        ArrayNode either = JSON.createArrayNode().add(eq("external_id", externalId)).add(eq("email", email));
        JsonNode hits = search(JSON.createObjectNode().put("operator", "OR").set("value", either), 50).get("data");
        String userId = null;
        for (JsonNode hit : hits) {
            if ("user".equals(hit.path("role").asText())) {
                userId = hit.get("id").asText();
                break;
            }
        }
        ObjectNode fields = JSON.createObjectNode().put("name", name);
        fields.set("custom_attributes", JSON.valueToTree(attributes));
        if (userId != null) {
            send("PUT", "/contacts/" + userId, fields);
        } else {
            userId = send("POST", "/contacts", fields.deepCopy().put("role", "user").put("external_id", externalId)
                    .put("email", email)).get("id").asText();
        }
        ArrayNode both = JSON.createArrayNode().add(eq("email", email)).add(eq("role", "lead"));
        JsonNode leads = search(JSON.createObjectNode().put("operator", "AND").set("value", both), 150).get("data");
        for (JsonNode lead : leads) {
            ObjectNode copy = JSON.createObjectNode();
            copy.set("custom_attributes", lead.path("custom_attributes"));
            send("PUT", "/contacts/" + userId, copy);
            send("POST", "/contacts/merge", JSON.createObjectNode().put("from", lead.get("id").asText())
                    .put("into", userId));
        }
    }

    /**
     * The audit one contact at a time: list the segments, page through every contact, and ask for each contact's
     * segments. Answers how many contacts it read.
     */
    int auditOneContactAtATime() {
        send("GET", "/segments", null);
        List<String> ids = everyContactId();
        ids.forEach(id -> send("GET", "/contacts/" + id + "/segments", null));
        return ids.size();
    }

    /** Pages through every contact (150 a page). */
    List<String> everyContactId() {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = send("GET", "/contacts?per_page=150"
                    + (cursor == null ? "" : "&starting_after=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)), null);
            page.get("data").forEach(c -> ids.add(c.get("id").asText()));
            cursor = nextCursor(page);
        } while (cursor != null);
        return ids;
    }

    /** Pages through a segment's members (search on {@code segment_id}, 150 a page); answers how many. */
    int everySegmentMember(String segmentId) {
        int members = 0;
        String cursor = null;
        do {
            ObjectNode body = JSON.createObjectNode();
            body.set("query", eq("segment_id", segmentId));
            ObjectNode pagination = body.putObject("pagination").put("per_page", 150);
            if (cursor != null) {
                pagination.put("starting_after", cursor);
            }
            JsonNode page = send("POST", "/contacts/search", body);
            members += page.get("data").size();
            cursor = nextCursor(page);
        } while (cursor != null);
        return members;
    }

    private static String nextCursor(JsonNode page) {
        JsonNode next = page.path("pages").path("next").path("starting_after");
        return next.isTextual() ? next.asText() : null;
    }

    private JsonNode search(JsonNode query, int perPage) {
        ObjectNode body = JSON.createObjectNode();
        body.set("query", query);
        body.putObject("pagination").put("per_page", perPage);
        return send("POST", "/contacts/search", body);
    }

    private static ObjectNode eq(String field, String value) {
        return JSON.createObjectNode().put("field", field).put("operator", "=").put("value", value);
    }

    private JsonNode send(String method, String path, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json")
                .header("Intercom-Version", "2.14");
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
