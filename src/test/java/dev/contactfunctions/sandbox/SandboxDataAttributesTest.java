package dev.contactfunctions.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import dev.contactfunctions.sandbox.SandboxHttp.Reply;

/** {@code GET/POST /data_attributes}, and that a created attribute can then be written. */
class SandboxDataAttributesTest {

    @RegisterExtension
    final RunningSandbox running = new RunningSandbox();
    private IntercomSandbox sandbox;
    private SandboxHttp http;

    @BeforeEach
    void start() {
        sandbox = running.sandbox();
        http = running.http();
    }

    private Reply create(String name, String type) {
        return http.post("/data_attributes",
                "{\"name\":\"" + name + "\",\"model\":\"contact\",\"data_type\":\"" + type + "\"}");
    }

    @Test
    void listingShowsStandardThenCustomAttributes() {
        create("utm_source", "string");

        Reply listed = http.get("/data_attributes?model=contact");

        assertThat(listed.json().get("type").asText()).isEqualTo("list");
        JsonNode data = listed.json().get("data");
        assertThat(data.get(0).get("custom").asBoolean()).isFalse();
        assertThat(data.get(0).has("id")).isFalse();
        JsonNode last = data.get(data.size() - 1);
        assertThat(last.get("name").asText()).isEqualTo("utm_source");
        assertThat(last.get("full_name").asText()).isEqualTo("custom_attributes.utm_source");
        assertThat(last.get("custom").asBoolean()).isTrue();
        assertThat(last.get("id").isInt() || last.get("id").isLong()).isTrue();
        assertThat(data).anySatisfy(a -> assertThat(a.get("name").asText()).isEqualTo("email"));
    }

    @Test
    void aCreatedAttributeCanBeWrittenAndSearched() {
        Reply created = create("landing_page", "string");
        Reply write = http.post("/contacts",
                "{\"role\":\"lead\",\"email\":\"l@example.com\",\"custom_attributes\":{\"landing_page\":\"/pricing\"}}");
        Reply search = http.search("{\"field\":\"custom_attributes.landing_page\",\"operator\":\"=\",\"value\":\"/pricing\"}");

        assertThat(created.status()).isEqualTo(200);
        assertThat(created.json().get("type").asText()).isEqualTo("data_attribute");
        assertThat(created.json().get("model").asText()).isEqualTo("contact");
        assertThat(created.json().get("data_type").asText()).isEqualTo("string");
        assertThat(write.status()).isEqualTo(200);
        assertThat(search.json().get("total_count").asInt()).isEqualTo(1);
        assertThat(sandbox.customAttributeNames()).containsExactly("landing_page");
    }

    @Test
    void aDuplicateNameGets400EvenAcrossModels() {
        create("plan", "string");
        http.post("/data_attributes", "{\"name\":\"Mithril Shirt\",\"model\":\"company\",\"data_type\":\"string\"}");

        Reply duplicate = create("Plan", "string");
        Reply acrossModels = create("Mithril Shirt", "string");
        Reply standard = create("email", "string");

        assertThat(duplicate.status()).isEqualTo(400);
        assertThat(duplicate.errorCode()).isEqualTo("parameter_invalid");
        assertThat(duplicate.errorMessage()).isEqualTo(
                "You already have 'plan' in your people data. To save this as new people data, use a different name.");
        assertThat(acrossModels.errorMessage()).isEqualTo("You already have 'Mithril Shirt' in your company data."
                + " To save this as new people data, use a different name.");
        assertThat(standard.status()).isEqualTo(400);
    }

    @Test
    void badNamesTypesAndModelsGet400() {
        assertThat(create("utm.source", "string").errorMessage()).isEqualTo(
                "Your name for this attribute must only contain alphanumeric characters, currency symbols, and hyphens");
        assertThat(create("size", "number").errorMessage()).isEqualTo("Data Type isn't an option");
        assertThat(http.post("/data_attributes", "{\"name\":\"x\",\"model\":\"user\",\"data_type\":\"string\"}")
                .errorMessage()).isEqualTo("The Data Attribute model field must be either contact or company");
        assertThat(http.post("/data_attributes", "{\"name\":\"tier\",\"model\":\"contact\",\"data_type\":\"options\","
                + "\"options\":[{\"value\":\"a\"}]}").status()).isEqualTo(400);
        assertThat(sandbox.customAttributeNames()).isEmpty();
    }

    @Test
    void namesWithSpacesUnderscoresAndCurrencySymbolsAreFine() {
        assertThat(create("The One Ring", "boolean").status()).isEqualTo(200);
        assertThat(create("price_in_$", "float").status()).isEqualTo(200);
        assertThat(create("trial-ends", "date").status()).isEqualTo(200);
    }

    @Test
    void optionsAndDatetimeAreStoredAsStringWithOptionsAndDate() {
        Reply options = http.post("/data_attributes", "{\"name\":\"tier\",\"model\":\"contact\",\"data_type\":\"options\","
                + "\"options\":[{\"value\":\"1-10\"},{\"value\":\"11-50\"}]}");
        Reply datetime = create("renews_at", "datetime");

        assertThat(options.json().get("data_type").asText()).isEqualTo("string");
        assertThat(options.json().get("options")).extracting(JsonNode::asText).containsExactly("1-10", "11-50");
        assertThat(datetime.json().get("data_type").asText()).isEqualTo("date");
    }
}
