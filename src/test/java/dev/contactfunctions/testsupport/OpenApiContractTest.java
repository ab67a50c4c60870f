package dev.contactfunctions.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The checker itself: it must accept what Intercom accepts and catch what it refuses, or its silence proves nothing. */
class OpenApiContractTest {

    private static final Map<String, List<String>> JSON_HEADERS = Map.of(
            "Authorization", List.of("Bearer t"),
            "Accept", List.of("application/json"),
            "Content-Type", List.of("application/json"),
            "Intercom-Version", List.of("2.14"));

    @BeforeEach
    void needsTheDescription() {
        Assumptions.assumeTrue(OpenApiContract.available(), OpenApiContract.SKIPPED);
    }

    @Test
    void acceptsANestedSearch() {
        String body = """
                {"query":{"operator":"AND","value":[
                  {"operator":"OR","value":[{"field":"email","operator":"=","value":"a@example.com"},
                                            {"field":"role","operator":"=","value":"lead"}]},
                  {"operator":"OR","value":[{"field":"created_at","operator":">","value":1700000000},
                                            {"field":"tag_id","operator":"IN","value":["1","2"]}]}]},
                 "pagination":{"per_page":150,"starting_after":"WzE3MDAwMDAwMDAsIjEiXQ=="}}""";

        assertThat(OpenApiContract.validateRequest("POST", "/contacts/search", Map.of(), JSON_HEADERS, body)).isEmpty();
    }

    @Test
    void acceptsANullSearchValue() {
        String body = """
                {"query":{"field":"phone","operator":"=","value":null},"pagination":{"per_page":5}}""";

        assertThat(OpenApiContract.validateRequest("POST", "/contacts/search", Map.of(), JSON_HEADERS, body)).isEmpty();
    }

    @Test
    void catchesAnUnknownSearchOperator() {
        String body = """
                {"query":{"field":"email","operator":"LIKE","value":"a@example.com"}}""";

        assertThat(OpenApiContract.validateRequest("POST", "/contacts/search", Map.of(), JSON_HEADERS, body))
                .isNotEmpty();
    }

    @Test
    void catchesASearchValueOfTheWrongShape() {
        String body = """
                {"query":{"field":"email","operator":"=","value":{"nested":"object"}}}""";

        assertThat(OpenApiContract.validateRequest("POST", "/contacts/search", Map.of(), JSON_HEADERS, body))
                .isNotEmpty();
    }

    @Test
    void catchesATagBodyWithoutItsId() {
        assertThat(OpenApiContract.validateRequest("POST", "/contacts/6329bd9ffe4e2e91dac76188/tags", Map.of(),
                JSON_HEADERS, "{}")).isNotEmpty();
    }

    @Test
    void catchesAnUnknownApiVersion() {
        Map<String, List<String>> headers = new java.util.HashMap<>(JSON_HEADERS);
        headers.put("Intercom-Version", List.of("9.99"));

        assertThat(OpenApiContract.validateRequest("GET", "/contacts/6329bd9ffe4e2e91dac76188", Map.of(), headers,
                null)).anyMatch(m -> m.contains("Intercom-Version"));
    }

    @Test
    void catchesAMissingToken() {
        Map<String, List<String>> headers = Map.of("Accept", List.of("application/json"));

        assertThat(OpenApiContract.validateRequest("GET", "/tags", Map.of(), headers, null)).isNotEmpty();
    }

    @Test
    void checksResponsesToo() {
        String tag = """
                {"type":"tag","id":"81","name":"vip"}""";
        Map<String, List<String>> json = Map.of("Content-Type", List.of("application/json"));

        assertThat(OpenApiContract.validateResponse("POST", "/tags", 200, json, tag)).isEmpty();
        assertThat(OpenApiContract.validateResponse("POST", "/tags", 200, json, "{\"type\":\"tag\",\"id\":81}"))
                .isNotEmpty();
    }

    @Test
    void acceptsASortedSearchAndCatchesAnUnknownOrder() {
        String sorted = """
                {"query":{"field":"role","operator":"=","value":"user"},"sort":{"field":"created_at","order":"%s"}}""";

        assertThat(OpenApiContract.validateRequest("POST", "/contacts/search", Map.of(), JSON_HEADERS,
                sorted.formatted("ascending"))).isEmpty();
        assertThat(OpenApiContract.validateRequest("POST", "/contacts/search", Map.of(), JSON_HEADERS,
                sorted.formatted("desc"))).isNotEmpty();
    }

    @Test
    void catchesAMisspeltField() {
        String body = """
                {"query":{"field":"role","operator":"=","value":"user"},"paging":{"per_page":5}}""";

        assertThat(OpenApiContract.validateRequest("POST", "/contacts/search", Map.of(), JSON_HEADERS, body))
                .anyMatch(m -> m.contains("paging"));
    }

    @Test
    void acceptsADataAttributeAndCatchesAnUnknownType() {
        String attribute = """
                {"name":"seats","model":"contact","data_type":"%s","description":"Paid seats"}""";

        assertThat(OpenApiContract.validateRequest("POST", "/data_attributes", Map.of(), JSON_HEADERS,
                attribute.formatted("integer"))).isEmpty();
        assertThat(OpenApiContract.validateRequest("POST", "/data_attributes", Map.of(), JSON_HEADERS,
                attribute.formatted("number"))).isNotEmpty();
    }

    @Test
    void letsTheListCursorThroughThough214DoesNotDeclareIt() {
        // GET /contacts takes per_page and starting_after in the query string; the 2.14 description omits both, and
        // the validator does not report query parameters a description leaves out
        Map<String, List<String>> query = Map.of("per_page", List.of("150"), "starting_after", List.of("WzE3MTcsIjEiXQ=="));

        assertThat(OpenApiContract.validateRequest("GET", "/contacts", query, JSON_HEADERS, null)).isEmpty();
    }

    @Test
    void reportsPropertiesTheDescriptionDoesNotDeclare() {
        Map<String, List<String>> json = Map.of("Content-Type", List.of("application/json"));

        assertThat(OpenApiContract.validateResponse("POST", "/tags", 200, json,
                "{\"type\":\"tag\",\"id\":\"81\",\"name\":\"vip\",\"colour\":\"red\"}"))
                .anyMatch(m -> m.contains("colour"));
    }
}
