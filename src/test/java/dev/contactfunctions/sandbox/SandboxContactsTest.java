package dev.contactfunctions.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.contactfunctions.sandbox.SandboxHttp.Reply;

class SandboxContactsTest {

    private static final Instant START = Instant.parse("2026-03-10T12:00:00Z");

    private final MutableClock clock = MutableClock.at(START);
    @RegisterExtension
    final RunningSandbox running = new RunningSandbox(() -> SandboxOptions.builder().clock(clock).build());
    private IntercomSandbox sandbox;
    private SandboxHttp http;

    @BeforeEach
    void start() {
        sandbox = running.sandbox();
        sandbox.defineDataAttribute("plan", "string").defineDataAttribute("company_size", "integer");
        http = running.http();
    }

    @Test
    void createAnswers200WithTheFullContactAndDefaultsTheRoleToUser() {
        Reply reply = http.post("/contacts",
                "{\"email\":\"ada@example.com\",\"name\":\"Ada\",\"custom_attributes\":{\"plan\":\"pro\"}}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("type").asText()).isEqualTo("contact");
        assertThat(reply.json().get("id").asText()).matches("[0-9a-f]{24}");
        assertThat(reply.json().get("role").asText()).isEqualTo("user");
        assertThat(reply.json().get("email").asText()).isEqualTo("ada@example.com");
        assertThat(reply.json().get("email_domain").asText()).isEqualTo("example.com");
        assertThat(reply.json().get("created_at").asLong()).isEqualTo(START.getEpochSecond());
        assertThat(reply.json().get("updated_at").asLong()).isEqualTo(START.getEpochSecond());
        assertThat(reply.json().get("external_id").isNull()).isTrue();
        assertThat(reply.json().get("custom_attributes").get("plan").asText()).isEqualTo("pro");
        assertThat(reply.json().get("tags").get("type").asText()).isEqualTo("list");
        assertThat(reply.json().get("tags").get("url").asText())
                .isEqualTo("/contacts/" + reply.json().get("id").asText() + "/tags");
        assertThat(reply.json().get("workspace_id").asText()).isEqualTo("sandbox1");
        assertThat(reply.header("Content-Type")).startsWith("application/json");
    }

    @Test
    void getAnswersTheStoredContactAnd404ForAnUnknownId() {
        String id = http.create("{\"role\":\"lead\",\"email\":\"lead@example.com\"}");

        Reply found = http.get("/contacts/" + id);
        Reply missing = http.get("/contacts/0123456789abcdef01234567");

        assertThat(found.status()).isEqualTo(200);
        assertThat(found.json().get("role").asText()).isEqualTo("lead");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorCode()).isEqualTo("not_found");
        assertThat(missing.errorMessage()).isEqualTo("User Not Found");
    }

    @Test
    void updateChangesOnlyTheFieldsSentAndMovesUpdatedAt() {
        String id = http.create("{\"external_id\":\"u-1\",\"email\":\"ada@example.com\",\"name\":\"Ada\","
                + "\"custom_attributes\":{\"plan\":\"free\",\"company_size\":3}}");
        clock.advance(Duration.ofMinutes(5));

        Reply updated = http.put("/contacts/" + id, "{\"custom_attributes\":{\"plan\":\"pro\"}}");

        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("name").asText()).isEqualTo("Ada");
        assertThat(updated.json().get("email").asText()).isEqualTo("ada@example.com");
        assertThat(updated.json().get("custom_attributes").get("plan").asText()).isEqualTo("pro");
        assertThat(updated.json().get("custom_attributes").get("company_size").asLong()).isEqualTo(3);
        assertThat(updated.json().get("updated_at").asLong()).isEqualTo(START.getEpochSecond() + 300);
        assertThat(updated.json().get("created_at").asLong()).isEqualTo(START.getEpochSecond());
    }

    @Test
    void aLeadCanBecomeAUserButAUserCannotBecomeALead() {
        String lead = http.create("{\"role\":\"lead\",\"email\":\"lead@example.com\"}");
        String user = http.create("{\"email\":\"user@example.com\"}");

        Reply promoted = http.put("/contacts/" + lead, "{\"role\":\"user\",\"external_id\":\"u-9\"}");
        Reply demoted = http.put("/contacts/" + user, "{\"role\":\"lead\"}");

        assertThat(promoted.status()).isEqualTo(200);
        assertThat(promoted.json().get("role").asText()).isEqualTo("user");
        assertThat(demoted.status()).isEqualTo(400);
        assertThat(demoted.errorCode()).isEqualTo("parameter_invalid");
    }

    @Test
    void deleteAnswersTheDeletedReferenceAndTheContactIsGone() {
        String id = http.create("{\"external_id\":\"u-1\",\"email\":\"ada@example.com\"}");

        Reply deleted = http.delete("/contacts/" + id);

        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().toString())
                .isEqualTo("{\"type\":\"contact\",\"id\":\"" + id + "\",\"external_id\":\"u-1\",\"deleted\":true}");
        assertThat(http.get("/contacts/" + id).status()).isEqualTo(404);
        assertThat(http.delete("/contacts/" + id).status()).isEqualTo(404);
        assertThat(sandbox.contact(id)).isEmpty();
    }

    @Test
    void archiveHidesTheContactUntilUnarchived() {
        String id = http.create("{\"external_id\":\"u-1\",\"email\":\"ada@example.com\"}");

        Reply archived = http.post("/contacts/" + id + "/archive", "");
        Reply whileArchived = http.get("/contacts/" + id);
        Reply listed = http.get("/contacts");
        Reply unarchived = http.post("/contacts/" + id + "/unarchive", "");

        assertThat(archived.json().toString())
                .isEqualTo("{\"type\":\"contact\",\"id\":\"" + id + "\",\"external_id\":\"u-1\",\"archived\":true}");
        assertThat(whileArchived.status()).isEqualTo(404);
        assertThat(listed.json().get("total_count").asInt()).isZero();
        assertThat(unarchived.json().get("archived").asBoolean()).isFalse();
        assertThat(http.get("/contacts/" + id).status()).isEqualTo(200);
    }

    @Test
    void aDuplicateUserEmailGets409NamingTheExistingContact() {
        String existing = http.create("{\"external_id\":\"u-1\",\"email\":\"ada@example.com\"}");

        Reply conflict = http.post("/contacts", "{\"external_id\":\"u-2\",\"email\":\" ADA@example.com \"}");

        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.json().get("type").asText()).isEqualTo("error.list");
        assertThat(conflict.errorCode()).isEqualTo("conflict");
        assertThat(conflict.errorMessage())
                .isEqualTo("A contact matching those details already exists with id=" + existing);
        assertThat(sandbox.contacts()).hasSize(1);
    }

    @Test
    void aDuplicateUserExternalIdGets409() {
        String existing = http.create("{\"external_id\":\"u-1\",\"email\":\"ada@example.com\"}");

        Reply conflict = http.post("/contacts", "{\"external_id\":\"u-1\",\"email\":\"other@example.com\"}");

        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.errorMessage()).endsWith("with id=" + existing);
    }

    @Test
    void anArchivedDuplicateGetsTheArchivedVariantOf409() {
        String existing = http.create("{\"external_id\":\"u-1\",\"email\":\"ada@example.com\"}");
        http.post("/contacts/" + existing + "/archive", "");

        Reply conflict = http.post("/contacts", "{\"email\":\"ada@example.com\"}");

        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.errorMessage())
                .isEqualTo("An archived contact matching those details already exists with id=" + existing);
    }

    @Test
    void leadsNeverConflictOnEmail() {
        http.create("{\"external_id\":\"u-1\",\"email\":\"ada@example.com\"}");

        Reply first = http.post("/contacts", "{\"role\":\"lead\",\"email\":\"ada@example.com\"}");
        Reply second = http.post("/contacts", "{\"role\":\"lead\",\"email\":\"ada@example.com\"}");

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(sandbox.contactsWithEmail("ada@example.com")).hasSize(3);
    }

    @Test
    void anUpdateOntoAnotherUsersEmailGets409() {
        String ada = http.create("{\"external_id\":\"u-1\",\"email\":\"ada@example.com\"}");
        String grace = http.create("{\"external_id\":\"u-2\",\"email\":\"grace@example.com\"}");

        Reply conflict = http.put("/contacts/" + grace, "{\"email\":\"ada@example.com\"}");

        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.errorMessage()).endsWith("id=" + ada);
    }

    @Test
    void externalIdIsRefusedOnLeads() {
        Reply create = http.post("/contacts", "{\"role\":\"lead\",\"email\":\"l@example.com\",\"external_id\":\"x\"}");
        String lead = http.create("{\"role\":\"lead\",\"email\":\"l@example.com\"}");
        Reply update = http.put("/contacts/" + lead, "{\"external_id\":\"x\"}");

        assertThat(create.status()).isEqualTo(400);
        assertThat(create.errorCode()).isEqualTo("parameter_invalid");
        assertThat(create.errorMessage()).contains("external_id");
        assertThat(update.status()).isEqualTo(400);
        assertThat(sandbox.contacts()).hasSize(1);
    }

    @Test
    void aCreateNeedsAnIdentifier() {
        assertThat(http.post("/contacts", "{\"name\":\"Nobody\"}").status()).isEqualTo(400);
        assertThat(http.post("/contacts", "{\"role\":\"user\"}").status()).isEqualTo(400);
        assertThat(http.post("/contacts", "{\"role\":\"admin\",\"email\":\"a@b.c\"}").status()).isEqualTo(400);
        assertThat(http.post("/contacts", "{\"role\":\"lead\"}").status()).isEqualTo(200);
        assertThat(http.post("/contacts", "not json").errorCode()).isEqualTo("parameter_invalid");
    }

    @Test
    void writingAnUnknownCustomAttributeGets400AndChangesNothing() {
        String id = http.create("{\"email\":\"ada@example.com\"}");

        Reply create = http.post("/contacts", "{\"email\":\"b@example.com\",\"custom_attributes\":{\"utm_source\":\"x\"}}");
        Reply update = http.put("/contacts/" + id, "{\"name\":\"Ada\",\"custom_attributes\":{\"utm_source\":\"x\"}}");

        assertThat(create.status()).isEqualTo(400);
        assertThat(create.errorCode()).isEqualTo("parameter_invalid");
        assertThat(create.errorMessage()).isEqualTo("Custom attribute 'utm_source' does not exist");
        assertThat(update.status()).isEqualTo(400);
        assertThat(update.errorMessage()).isEqualTo("Custom attribute 'utm_source' does not exist");
        assertThat(sandbox.contacts()).singleElement().satisfies(c -> assertThat(c.name()).isNull());
    }

    @Test
    void aCustomAttributeValueMustHaveTheAttributesType() {
        Reply wrongType = http.post("/contacts",
                "{\"email\":\"a@example.com\",\"custom_attributes\":{\"company_size\":\"big\"}}");

        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.errorMessage()).contains("company_size").contains("integer");
    }

    @Test
    void findByExternalIdFindsUsersOnly() {
        String user = http.create("{\"external_id\":\"ext/1 +x\",\"email\":\"ada@example.com\"}");

        Reply found = http.get("/contacts/find_by_external_id/ext%2F1%20+x");
        Reply missing = http.get("/contacts/find_by_external_id/nobody");

        assertThat(found.status()).isEqualTo(200);
        assertThat(found.json().get("id").asText()).isEqualTo(user);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorMessage()).isEqualTo("User Not Found");
    }

    @Test
    void listPagesTenByDefaultWithTheCursorInTheQueryString() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            ids.add(http.create("{\"role\":\"lead\",\"email\":\"l" + i + "@example.com\"}"));
        }

        Reply first = http.get("/contacts");
        String cursor = first.json().at("/pages/next/starting_after").asText();
        Reply second = http.get("/contacts?starting_after=" + cursor);
        Reply third = http.get("/contacts?starting_after="
                + second.json().at("/pages/next/starting_after").asText());

        assertThat(first.json().get("data")).hasSize(10);
        assertThat(first.json().get("total_count").asInt()).isEqualTo(23);
        assertThat(first.json().at("/pages/per_page").asInt()).isEqualTo(10);
        assertThat(first.json().at("/pages/total_pages").asInt()).isEqualTo(3);
        assertThat(first.json().at("/pages/page").asInt()).isEqualTo(1);
        assertThat(second.json().at("/pages/page").asInt()).isEqualTo(2);
        assertThat(third.json().get("data")).hasSize(3);
        assertThat(third.json().at("/pages/next").isMissingNode()).isTrue();
        List<String> seen = new ArrayList<>();
        for (Reply page : List.of(first, second, third)) {
            page.json().get("data").forEach(c -> seen.add(c.get("id").asText()));
        }
        assertThat(seen).containsExactlyElementsOf(ids);
    }

    @Test
    void aListingReadAgainShowsEveryWriteInBetween() {
        String ada = http.create("{\"role\":\"lead\",\"email\":\"ada@example.com\"}");
        String grace = http.create("{\"role\":\"lead\",\"email\":\"grace@example.com\"}");
        String alan = http.create("{\"role\":\"lead\",\"email\":\"alan@example.com\"}");
        assertThat(listedIds()).containsExactly(ada, grace, alan);

        http.post("/contacts/" + grace + "/archive", "");
        assertThat(listedIds()).containsExactly(ada, alan);
        http.delete("/contacts/" + alan);
        assertThat(listedIds()).containsExactly(ada);
        String linus = sandbox.addContact(SeedContact.lead("linus@example.com"));
        http.post("/contacts/" + grace + "/unarchive", "");
        http.put("/contacts/" + ada, "{\"name\":\"Ada Lovelace\"}");

        Reply listed = http.get("/contacts");
        assertThat(listed.json().get("data").get(0).get("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(listedIds()).containsExactly(ada, grace, linus);
    }

    private List<String> listedIds() {
        List<String> ids = new ArrayList<>();
        http.get("/contacts?per_page=150").json().get("data").forEach(c -> ids.add(c.get("id").asText()));
        return ids;
    }

    @Test
    void listCapsPerPageAt150() {
        for (int i = 0; i < 160; i++) {
            sandbox.addContact(SeedContact.lead("l" + i + "@example.com"));
        }

        Reply page = http.get("/contacts?per_page=500");

        assertThat(page.json().get("data")).hasSize(150);
        assertThat(page.json().at("/pages/per_page").asInt()).isEqualTo(150);
        assertThat(http.get("/contacts?per_page=0").status()).isEqualTo(400);
        assertThat(http.get("/contacts?per_page=3&starting_after=garbage").status()).isEqualTo(400);
    }

    @Test
    void timestampsAreUnixSecondsFromTheClock() {
        String id = http.create("{\"email\":\"ada@example.com\",\"signed_up_at\":1700000000}");

        SandboxContact contact = sandbox.contact(id).orElseThrow();

        assertThat(contact.createdAt()).isEqualTo(START.getEpochSecond());
        assertThat(contact.signedUpAt()).isEqualTo(1_700_000_000L);
        assertThat(http.post("/contacts", "{\"email\":\"b@example.com\",\"signed_up_at\":\"yesterday\"}").status())
                .isEqualTo(400);
    }
}
