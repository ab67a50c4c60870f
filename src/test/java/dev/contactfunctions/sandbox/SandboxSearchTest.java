package dev.contactfunctions.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.contactfunctions.sandbox.SandboxHttp.Reply;

/** {@code POST /contacts/search}: the grammar of contract.md §5, its limits, pagination, sort and the index lag. */
class SandboxSearchTest {

    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    /** 2026-03-01 09:30 UTC. */
    private static final Instant MARCH_1_MORNING = Instant.parse("2026-03-01T09:30:00Z");

    private final MutableClock clock = MutableClock.at(NOW);
    private IntercomSandbox sandbox;
    private SandboxHttp http;
    private String ada;
    private String grace;
    private String alan;
    private String vipTag;

    @BeforeEach
    void start() {
        sandbox = IntercomSandbox.start(SandboxOptions.builder().clock(clock).build());
        sandbox.defineDataAttribute("plan", "string").defineDataAttribute("company_size", "integer")
                .defineDataAttribute("newsletter", "boolean").defineDataAttribute("mrr", "float")
                .defineDataAttribute("trial_ends_at", "date");
        http = new SandboxHttp(sandbox);
        ada = sandbox.addContact(SeedContact.user("u-ada", "Ada@Example.com").name("Ada Lovelace")
                .createdAt(MARCH_1_MORNING).attribute("plan", "enterprise").attribute("company_size", 250)
                .attribute("newsletter", true).attribute("mrr", 999.5).tag("vip").country("Ireland"));
        grace = sandbox.addContact(SeedContact.user("u-grace", "grace@navy.test").name("Grace Hopper")
                .createdAt(Instant.parse("2026-03-02T00:00:00Z")).attribute("plan", "pro")
                .attribute("company_size", 40).attribute("newsletter", false).attribute("mrr", 49.0));
        alan = sandbox.addContact(SeedContact.lead("alan@example.com").name("Alan Turing")
                .createdAt(Instant.parse("2026-02-28T23:59:59Z")).attribute("trial_ends_at", 1_772_323_200L));
        vipTag = sandbox.defineTag("VIP");
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private List<String> ids(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        reply.json().get("data").forEach(c -> ids.add(c.get("id").asText()));
        return ids;
    }

    private List<String> find(String field, String operator, String valueJson) {
        return ids(http.search("{\"field\":\"" + field + "\",\"operator\":\"" + operator + "\",\"value\":" + valueJson
                + "}"));
    }

    private Reply badSearch(String query) {
        Reply reply = http.search(query);
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.json().get("type").asText()).isEqualTo("error.list");
        return reply;
    }

    @Test
    void stringOperators() {
        assertThat(find("email", "=", "\"ada@example.com\"")).containsExactly(ada);
        assertThat(find("name", "!=", "\"Ada Lovelace\"")).containsExactlyInAnyOrder(grace, alan);
        assertThat(find("external_id", "IN", "[\"u-ada\",\"u-grace\"]")).containsExactlyInAnyOrder(ada, grace);
        assertThat(find("external_id", "NIN", "[\"u-ada\"]")).containsExactlyInAnyOrder(grace, alan);
        assertThat(find("name", "~", "\"Hop\"")).containsExactly(grace);
        assertThat(find("name", "!~", "\"Hop\"")).containsExactlyInAnyOrder(ada, alan);
        assertThat(find("name", "^", "\"Alan\"")).containsExactly(alan);
        assertThat(find("email", "$", "\"@EXAMPLE.com\"")).containsExactlyInAnyOrder(ada, alan);
        assertThat(find("email_domain", "=", "\"navy.test\"")).containsExactly(grace);
        assertThat(find("role", "=", "\"lead\"")).containsExactly(alan);
        assertThat(find("location.country", "=", "\"Ireland\"")).containsExactly(ada);
        assertThat(find("phone", "=", "null")).containsExactlyInAnyOrder(ada, grace, alan);
    }

    @Test
    void integerFloatAndBooleanOperatorsOnCustomAttributes() {
        assertThat(find("custom_attributes.company_size", ">", "40")).containsExactly(ada);
        assertThat(find("custom_attributes.company_size", ">=", "40")).containsExactlyInAnyOrder(ada, grace);
        assertThat(find("custom_attributes.company_size", "<", "250")).containsExactly(grace);
        assertThat(find("custom_attributes.company_size", "<=", "250")).containsExactlyInAnyOrder(ada, grace);
        assertThat(find("custom_attributes.company_size", "IN", "[40, 41]")).containsExactly(grace);
        assertThat(find("custom_attributes.mrr", ">", "100.25")).containsExactly(ada);
        assertThat(find("custom_attributes.newsletter", "=", "true")).containsExactly(ada);
        assertThat(find("custom_attributes.newsletter", "!=", "true")).containsExactlyInAnyOrder(grace, alan);
        assertThat(find("custom_attributes.plan", "=", "\"pro\"")).containsExactly(grace);
    }

    @Test
    void datesMatchByCalendarDayInUtc() {
        long march1Noon = Instant.parse("2026-03-01T12:00:00Z").getEpochSecond();

        assertThat(find("created_at", "=", Long.toString(march1Noon))).containsExactly(ada);
        assertThat(find("created_at", ">", Long.toString(march1Noon))).containsExactly(grace);
        assertThat(find("created_at", "<", Long.toString(march1Noon))).containsExactly(alan);
        assertThat(find("created_at", "=", "\"" + march1Noon + "\"")).containsExactly(ada);
        assertThat(find("custom_attributes.trial_ends_at", "=",
                Long.toString(Instant.parse("2026-03-01T00:00:00Z").getEpochSecond()))).containsExactly(alan);
    }

    @Test
    void tagAndSegmentFilters() {
        String vipOnAda = sandbox.contact(ada).orElseThrow().tagNames().get(0);
        String adaTag = http.get("/tags").json().get("data").get(0).get("id").asText();
        String enterprise = sandbox.defineSegment("Enterprise", "user",
                "{\"field\":\"custom_attributes.plan\",\"operator\":\"=\",\"value\":\"enterprise\"}");

        assertThat(vipOnAda).isEqualTo("vip");
        assertThat(find("tag_id", "=", "\"" + adaTag + "\"")).containsExactly(ada);
        assertThat(find("tag_id", "!=", "\"" + adaTag + "\"")).containsExactlyInAnyOrder(grace, alan);
        assertThat(find("tag_id", "=", "\"" + vipTag + "\"")).containsExactly(ada);
        assertThat(find("segment_id", "=", "\"" + enterprise + "\"")).containsExactly(ada);
        assertThat(find("segment_id", "!=", "\"" + enterprise + "\"")).containsExactlyInAnyOrder(grace, alan);
    }

    @Test
    void nestedAndOrGroups() {
        String query = "{\"operator\":\"AND\",\"value\":["
                + "{\"operator\":\"OR\",\"value\":[{\"field\":\"name\",\"operator\":\"^\",\"value\":\"Ada\"},"
                + "{\"field\":\"name\",\"operator\":\"^\",\"value\":\"Alan\"}]},"
                + "{\"field\":\"role\",\"operator\":\"=\",\"value\":\"user\"}]}";

        assertThat(ids(http.search(query))).containsExactly(ada);
    }

    @Test
    void moreThanTwoLevelsOfNestingGet400() {
        String leaf = "{\"field\":\"role\",\"operator\":\"=\",\"value\":\"user\"}";
        String twoLevels = "{\"operator\":\"AND\",\"value\":[{\"operator\":\"OR\",\"value\":[" + leaf + "]}]}";
        String threeLevels = "{\"operator\":\"AND\",\"value\":[{\"operator\":\"OR\",\"value\":["
                + "{\"operator\":\"AND\",\"value\":[" + leaf + "]}]}]}";

        assertThat(http.search(twoLevels).status()).isEqualTo(200);
        Reply tooDeep = badSearch(threeLevels);
        assertThat(tooDeep.errorCode()).isEqualTo("parameter_invalid");
        assertThat(tooDeep.errorMessage()).contains("nested");
    }

    @Test
    void moreThanFifteenFiltersInAGroupGet400() {
        StringJoiner fifteen = new StringJoiner(",");
        for (int i = 0; i < 15; i++) {
            fifteen.add("{\"field\":\"name\",\"operator\":\"!=\",\"value\":\"n" + i + "\"}");
        }
        String sixteen = fifteen + ",{\"field\":\"name\",\"operator\":\"!=\",\"value\":\"x\"}";

        assertThat(http.search("{\"operator\":\"OR\",\"value\":[" + fifteen + "]}").status()).isEqualTo(200);
        assertThat(badSearch("{\"operator\":\"OR\",\"value\":[" + sixteen + "]}").errorMessage()).contains("15");
    }

    @Test
    void operatorsOutsideTheirTypesGet400() {
        badSearch("{\"field\":\"created_at\",\"operator\":\"!=\",\"value\":1}");
        badSearch("{\"field\":\"created_at\",\"operator\":\">=\",\"value\":1}");
        badSearch("{\"field\":\"created_at\",\"operator\":\"IN\",\"value\":[1]}");
        badSearch("{\"field\":\"email\",\"operator\":\">\",\"value\":\"a\"}");
        badSearch("{\"field\":\"custom_attributes.company_size\",\"operator\":\"~\",\"value\":4}");
        badSearch("{\"field\":\"custom_attributes.newsletter\",\"operator\":\"<\",\"value\":true}");
        badSearch("{\"field\":\"tag_id\",\"operator\":\"IN\",\"value\":[\"1\"]}");
        Reply unknownOperator = badSearch("{\"field\":\"email\",\"operator\":\"LIKE\",\"value\":\"a\"}");
        assertThat(unknownOperator.errorMessage()).contains("LIKE");
        Reply message = badSearch("{\"field\":\"email\",\"operator\":\"<\",\"value\":\"a\"}");
        assertThat(message.errorMessage()).contains("'<'").contains("email");
    }

    @Test
    void valuesOfTheWrongTypeGet400() {
        badSearch("{\"field\":\"custom_attributes.company_size\",\"operator\":\"=\",\"value\":\"40\"}");
        badSearch("{\"field\":\"custom_attributes.newsletter\",\"operator\":\"=\",\"value\":\"true\"}");
        badSearch("{\"field\":\"email\",\"operator\":\"=\",\"value\":4}");
        badSearch("{\"field\":\"email\",\"operator\":\"IN\",\"value\":\"a\"}");
        badSearch("{\"field\":\"email\",\"operator\":\"=\",\"value\":[\"a\"]}");
        badSearch("{\"field\":\"created_at\",\"operator\":\">\",\"value\":\"yesterday\"}");
    }

    @Test
    void unknownFieldsAndMalformedQueriesGet400() {
        assertThat(badSearch("{\"field\":\"shoe_size\",\"operator\":\"=\",\"value\":\"a\"}").errorMessage())
                .contains("shoe_size");
        assertThat(badSearch("{\"field\":\"custom_attributes.nope\",\"operator\":\"=\",\"value\":\"a\"}")
                .errorMessage()).isEqualTo("Custom attribute 'nope' does not exist");
        badSearch("{\"field\":\"email\",\"operator\":\"AND\",\"value\":\"a\"}");
        badSearch("{\"operator\":\"AND\",\"value\":[]}");
        badSearch("{\"field\":\"email\",\"operator\":\"=\"}");
        assertThat(http.post("/contacts/search", "{}").status()).isEqualTo(400);
    }

    @Test
    void paginatesWithTheCursorInTheBodyAcrossThreePages() {
        Set<String> all = new HashSet<>(List.of(ada, grace));
        for (int i = 0; i < 7; i++) {
            all.add(sandbox.addContact(SeedContact.user("u" + i, "u" + i + "@example.com")
                    .createdAt(NOW.minusSeconds(i * 60L))));
        }
        String query = "{\"field\":\"role\",\"operator\":\"=\",\"value\":\"user\"}";

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            String pagination = "{\"per_page\":4" + (cursor == null ? "" : ",\"starting_after\":\"" + cursor + "\"") + "}";
            Reply page = http.post("/contacts/search", "{\"query\":" + query + ",\"pagination\":" + pagination + "}");
            pages++;
            assertThat(page.json().get("total_count").asInt()).isEqualTo(9);
            assertThat(page.json().at("/pages/page").asInt()).isEqualTo(pages);
            assertThat(page.json().at("/pages/total_pages").asInt()).isEqualTo(3);
            seen.addAll(ids(page));
            JsonNode next = page.json().at("/pages/next");
            cursor = next.isMissingNode() ? null : next.get("starting_after").asText();
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(9).containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void aCursorInTheQueryStringIsIgnored() {
        for (int i = 0; i < 5; i++) {
            sandbox.addContact(SeedContact.lead("l" + i + "@example.com"));
        }
        String body = "{\"query\":{\"field\":\"role\",\"operator\":\"=\",\"value\":\"lead\"},\"pagination\":{\"per_page\":2}}";
        Reply first = http.post("/contacts/search", body);
        String cursor = first.json().at("/pages/next/starting_after").asText();

        Reply again = http.post("/contacts/search?starting_after=" + cursor, body);

        assertThat(ids(again)).isEqualTo(ids(first));
    }

    @Test
    void perPageDefaultsTo50AndIsCappedAt150() {
        for (int i = 0; i < 160; i++) {
            sandbox.addContact(SeedContact.lead("l" + i + "@example.com"));
        }
        String query = "{\"field\":\"role\",\"operator\":\"=\",\"value\":\"lead\"}";

        Reply defaults = http.search(query);
        Reply capped = http.post("/contacts/search", "{\"query\":" + query + ",\"pagination\":{\"per_page\":1000}}");

        assertThat(defaults.json().get("data")).hasSize(50);
        assertThat(defaults.json().at("/pages/per_page").asInt()).isEqualTo(50);
        assertThat(defaults.json().get("total_count").asInt()).isEqualTo(161);
        assertThat(capped.json().get("data")).hasSize(150);
        assertThat(capped.json().at("/pages/per_page").asInt()).isEqualTo(150);
        assertThat(http.post("/contacts/search", "{\"query\":" + query + ",\"pagination\":{\"per_page\":0}}").status())
                .isEqualTo(400);
    }

    @Test
    void sortsByAFieldInEitherOrder() {
        String query = "{\"field\":\"role\",\"operator\":\"=\",\"value\":\"user\"}";

        Reply ascending = http.post("/contacts/search", "{\"query\":" + query
                + ",\"sort\":{\"field\":\"custom_attributes.company_size\",\"order\":\"ascending\"}}");
        Reply descending = http.post("/contacts/search", "{\"query\":" + query
                + ",\"sort\":{\"field\":\"custom_attributes.company_size\",\"order\":\"descending\"}}");
        Reply byDefault = http.post("/contacts/search", "{\"query\":" + query + ",\"sort\":{\"field\":\"name\"}}");
        Reply invalid = http.post("/contacts/search", "{\"query\":" + query
                + ",\"sort\":{\"field\":\"name\",\"order\":\"desc\"}}");

        assertThat(ids(ascending)).containsExactly(grace, ada);
        assertThat(ids(descending)).containsExactly(ada, grace);
        assertThat(ids(byDefault)).containsExactly(grace, ada);
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.errorCode()).isEqualTo("invalid_sort_order");
        assertThat(invalid.errorMessage()).isEqualTo("Invalid sort order 'desc'. Must be one of: ascending, descending");
    }

    @Test
    void aNewContactIsInvisibleToSearchUntilTheLagHasPassed() {
        sandbox.setSearchLag(Duration.ofMinutes(2));
        String id = http.create("{\"role\":\"lead\",\"email\":\"new@example.com\"}");
        String query = "{\"field\":\"email\",\"operator\":\"=\",\"value\":\"new@example.com\"}";

        List<String> right = ids(http.search(query));
        clock.advance(Duration.ofSeconds(119));
        List<String> almost = ids(http.search(query));
        clock.advance(Duration.ofSeconds(1));
        List<String> after = ids(http.search(query));

        assertThat(right).isEmpty();
        assertThat(almost).isEmpty();
        assertThat(after).containsExactly(id);
        assertThat(http.get("/contacts/" + id).status()).isEqualTo(200);
    }

    @Test
    void aChangedContactIsFoundByItsOldValuesDuringTheLag() {
        sandbox.setSearchLag(Duration.ofMinutes(1));
        http.put("/contacts/" + grace, "{\"email\":\"grace@new.test\"}");
        String oldEmail = "{\"field\":\"email\",\"operator\":\"=\",\"value\":\"grace@navy.test\"}";
        String newEmail = "{\"field\":\"email\",\"operator\":\"=\",\"value\":\"grace@new.test\"}";

        List<String> oldDuringLag = ids(http.search(oldEmail));
        List<String> newDuringLag = ids(http.search(newEmail));
        clock.advance(Duration.ofMinutes(1));

        assertThat(oldDuringLag).containsExactly(grace);
        assertThat(newDuringLag).isEmpty();
        assertThat(ids(http.search(oldEmail))).isEmpty();
        assertThat(ids(http.search(newEmail))).containsExactly(grace);
    }

    @Test
    void indexNowEndsTheLag() {
        sandbox.setSearchLag(Duration.ofHours(1));
        String id = http.create("{\"role\":\"lead\",\"email\":\"new@example.com\"}");

        sandbox.indexNow();

        assertThat(find("email", "=", "\"new@example.com\"")).containsExactly(id);
    }

    @Test
    void deletedAndArchivedContactsLeaveSearchAtOnce() {
        sandbox.setSearchLag(Duration.ofHours(1));
        http.delete("/contacts/" + grace);
        http.post("/contacts/" + alan + "/archive", "");

        assertThat(find("name", "~", "\"a\"")).containsExactly(ada);
    }
}
