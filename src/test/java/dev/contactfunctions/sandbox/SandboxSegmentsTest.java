package dev.contactfunctions.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.contactfunctions.sandbox.SandboxHttp.Reply;

/** Segments are saved search filters: {@code GET /segments} counts live members, per contact too. */
class SandboxSegmentsTest {

    private IntercomSandbox sandbox;
    private SandboxHttp http;
    private String enterprise;
    private String activeLeads;
    private String ada;
    private String alan;

    @BeforeEach
    void start() {
        Instant now = Instant.parse("2026-03-10T12:00:00Z");
        sandbox = IntercomSandbox.start(SandboxOptions.builder().clock(MutableClock.at(now)).build());
        sandbox.defineDataAttribute("plan", "string");
        http = new SandboxHttp(sandbox);
        enterprise = sandbox.defineSegment("Enterprise", "user",
                "{\"field\":\"custom_attributes.plan\",\"operator\":\"=\",\"value\":\"enterprise\"}");
        activeLeads = sandbox.defineSegment("Active leads", "contact",
                "{\"field\":\"last_seen_at\",\"operator\":\">\",\"value\":" + now.minusSeconds(30 * 86_400).getEpochSecond()
                        + "}");
        ada = sandbox.addContact(SeedContact.user("u-1", "ada@example.com").attribute("plan", "enterprise"));
        sandbox.addContact(SeedContact.user("u-2", "grace@example.com").attribute("plan", "pro"));
        alan = sandbox.addContact(SeedContact.lead("alan@example.com").lastSeenAt(now.minusSeconds(3600))
                .attribute("plan", "enterprise"));
        sandbox.addContact(SeedContact.lead("old@example.com").lastSeenAt(now.minusSeconds(90 * 86_400)));
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private JsonNode segmentNamed(Reply reply, String name) {
        for (JsonNode segment : reply.json().get("segments")) {
            if (segment.get("name").asText().equals(name)) {
                return segment;
            }
        }
        throw new AssertionError("no segment " + name + " in " + reply.body());
    }

    @Test
    void listingWithIncludeCountCountsLiveMembership() {
        Reply listed = http.get("/segments?include_count=true");

        assertThat(listed.json().get("type").asText()).isEqualTo("segment.list");
        JsonNode enterpriseSegment = segmentNamed(listed, "Enterprise");
        assertThat(enterpriseSegment.get("id").asText()).isEqualTo(enterprise);
        assertThat(enterpriseSegment.get("type").asText()).isEqualTo("segment");
        assertThat(enterpriseSegment.get("person_type").asText()).isEqualTo("user");
        assertThat(enterpriseSegment.get("count").asInt()).isEqualTo(1);
        assertThat(segmentNamed(listed, "Active leads").get("count").asInt()).isEqualTo(1);
        assertThat(segmentNamed(listed, "Active leads").get("person_type").asText()).isEqualTo("contact");
    }

    @Test
    void countsFollowWritesWithoutTheSearchLag() {
        sandbox.setSearchLag(java.time.Duration.ofHours(1));
        http.post("/contacts", "{\"external_id\":\"u-3\",\"email\":\"x@example.com\",\"custom_attributes\":{\"plan\":\"enterprise\"}}");
        http.post("/contacts/" + ada + "/archive", "");

        assertThat(segmentNamed(http.get("/segments?include_count=true"), "Enterprise").get("count").asInt())
                .isEqualTo(1);
    }

    @Test
    void countsAreKeptOnlyUntilTheNextWrite() {
        sandbox.setSearchLag(java.time.Duration.ofHours(1));
        String grace = sandbox.contacts().stream().filter(c -> "u-2".equals(c.externalId())).findFirst().orElseThrow()
                .id();
        assertThat(enterpriseCount()).isEqualTo(1);
        assertThat(enterpriseCount()).as("listed again, nothing written").isEqualTo(1);

        http.put("/contacts/" + grace, "{\"custom_attributes\":{\"plan\":\"enterprise\"}}");
        assertThat(enterpriseCount()).isEqualTo(2);
        http.post("/contacts/" + ada + "/archive", "");
        assertThat(enterpriseCount()).isEqualTo(1);
        http.post("/contacts", "{\"external_id\":\"u-3\",\"email\":\"x@example.com\",\"custom_attributes\":{\"plan\":\"enterprise\"}}");
        assertThat(enterpriseCount()).isEqualTo(2);
        assertThat(http.get("/segments/" + enterprise + "?include_count=true").json().get("count").asInt()).isEqualTo(2);
    }

    private int enterpriseCount() {
        return segmentNamed(http.get("/segments?include_count=true"), "Enterprise").get("count").asInt();
    }

    @Test
    void withoutIncludeCountThereIsNoCount() {
        assertThat(segmentNamed(http.get("/segments"), "Enterprise").has("count")).isFalse();
    }

    @Test
    void aContactsSegmentsAreTheOnesItsDataMatches() {
        Reply adaSegments = http.get("/contacts/" + ada + "/segments");
        Reply alanSegments = http.get("/contacts/" + alan + "/segments");

        assertThat(adaSegments.json().get("type").asText()).isEqualTo("list");
        assertThat(adaSegments.json().get("data")).extracting(s -> s.get("id").asText()).containsExactly(enterprise);
        assertThat(alanSegments.json().get("data")).extracting(s -> s.get("id").asText()).containsExactly(activeLeads);
        assertThat(http.get("/contacts/0123456789abcdef01234567/segments").errorMessage()).isEqualTo("User Not Found");
    }

    @Test
    void getSegmentById() {
        assertThat(http.get("/segments/" + enterprise + "?include_count=true").json().get("count").asInt()).isEqualTo(1);
        assertThat(http.get("/segments/nope").errorMessage()).isEqualTo("Resource Not Found");
    }

    @Test
    void aSegmentFilterMustBeValid() {
        assertThatThrownBy(() -> sandbox.defineSegment("Broken", "user",
                "{\"field\":\"created_at\",\"operator\":\"~\",\"value\":1}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("created_at");
        assertThatThrownBy(() -> sandbox.defineSegment("Broken", "lead",
                "{\"field\":\"name\",\"operator\":\"=\",\"value\":\"x\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("person_type");
    }
}
