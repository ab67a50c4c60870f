package dev.contactfunctions.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.contactfunctions.sandbox.SandboxHttp.Reply;

/** {@code POST /tags} (create, rename), tagging and untagging a contact, and the tags embedded in a contact. */
class SandboxTagsTest {

    private final MutableClock clock = MutableClock.at(Instant.parse("2026-03-10T12:00:00Z"));
    @RegisterExtension
    final RunningSandbox running = new RunningSandbox(() -> SandboxOptions.builder().clock(clock).build());
    private IntercomSandbox sandbox;
    private SandboxHttp http;
    private String contact;

    @BeforeEach
    void start() {
        sandbox = running.sandbox();
        http = running.http();
        contact = sandbox.addContact(SeedContact.lead("lead@example.com"));
    }

    @Test
    void createAnswersTheTagAndFindsAnExistingNameCaseInsensitively() {
        Reply created = http.post("/tags", "{\"name\":\"Newsletter\"}");
        Reply again = http.post("/tags", "{\"name\":\"newsletter\"}");

        assertThat(created.status()).isEqualTo(200);
        assertThat(created.json().get("type").asText()).isEqualTo("tag");
        assertThat(created.json().get("id").asText()).matches("\\d+");
        assertThat(created.json().get("name").asText()).isEqualTo("Newsletter");
        assertThat(again.json().get("id").asText()).isEqualTo(created.json().get("id").asText());
        assertThat(http.get("/tags").json().get("data")).hasSize(1);
    }

    @Test
    void renameByIdAnd404ForAnUnknownId() {
        String id = http.post("/tags", "{\"name\":\"Old\"}").json().get("id").asText();
        http.post("/tags", "{\"name\":\"Taken\"}");

        Reply renamed = http.post("/tags", "{\"name\":\"New\",\"id\":\"" + id + "\"}");
        Reply unknown = http.post("/tags", "{\"name\":\"New\",\"id\":\"999999\"}");
        Reply clash = http.post("/tags", "{\"name\":\"taken\",\"id\":\"" + id + "\"}");

        assertThat(renamed.json().get("name").asText()).isEqualTo("New");
        assertThat(http.get("/tags/" + id).json().get("name").asText()).isEqualTo("New");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorMessage()).isEqualTo("Resource Not Found");
        assertThat(clash.status()).isEqualTo(400);
    }

    @Test
    void aTagNeedsAName() {
        Reply reply = http.post("/tags", "{}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("parameter_invalid");
        assertThat(reply.errorMessage()).startsWith("invalid tag parameters");
    }

    @Test
    void taggingAContactAnswersTheAppliedTagAndEmbedsItInTheContact() {
        String tag = http.post("/tags", "{\"name\":\"vip\"}").json().get("id").asText();

        Reply tagged = http.post("/contacts/" + contact + "/tags", "{\"id\":\"" + tag + "\"}");
        Reply shown = http.get("/contacts/" + contact);

        assertThat(tagged.status()).isEqualTo(200);
        assertThat(tagged.json().get("id").asText()).isEqualTo(tag);
        assertThat(tagged.json().get("applied_at").asLong()).isEqualTo(clock.instant().getEpochSecond());
        assertThat(tagged.json().at("/applied_by/type").asText()).isEqualTo("admin");
        assertThat(shown.json().at("/tags/data/0").toString())
                .isEqualTo("{\"type\":\"tag\",\"id\":\"" + tag + "\",\"url\":\"/tags/" + tag + "\"}");
        assertThat(shown.json().at("/tags/total_count").asInt()).isEqualTo(1);
        assertThat(http.get("/contacts/" + contact + "/tags").json().at("/data/0/name").asText()).isEqualTo("vip");
    }

    @Test
    void aNumericTagIdIsAccepted() {
        String tag = http.post("/tags", "{\"name\":\"vip\"}").json().get("id").asText();

        assertThat(http.post("/contacts/" + contact + "/tags", "{\"id\":" + tag + "}").status()).isEqualTo(200);
    }

    @Test
    void untaggingAnswersTheRemovedTag() {
        String tag = http.post("/tags", "{\"name\":\"vip\"}").json().get("id").asText();
        http.post("/contacts/" + contact + "/tags", "{\"id\":\"" + tag + "\"}");

        Reply untagged = http.delete("/contacts/" + contact + "/tags/" + tag);

        assertThat(untagged.status()).isEqualTo(200);
        assertThat(untagged.json().get("name").asText()).isEqualTo("vip");
        assertThat(sandbox.contact(contact).orElseThrow().tagNames()).isEmpty();
    }

    @Test
    void unknownContactsAndTagsGet404() {
        String tag = http.post("/tags", "{\"name\":\"vip\"}").json().get("id").asText();

        Reply noContact = http.post("/contacts/0123456789abcdef01234567/tags", "{\"id\":\"" + tag + "\"}");
        Reply noTag = http.post("/contacts/" + contact + "/tags", "{\"id\":\"424242\"}");
        Reply untagUnknown = http.delete("/contacts/" + contact + "/tags/424242");

        assertThat(noContact.status()).isEqualTo(404);
        assertThat(noContact.errorMessage()).isEqualTo("User Not Found");
        assertThat(noTag.status()).isEqualTo(404);
        assertThat(noTag.errorMessage()).isEqualTo("Resource Not Found");
        assertThat(untagUnknown.status()).isEqualTo(404);
    }

    @Test
    void aContactEmbedsAtMostTenTagsAndSaysThereAreMore() {
        for (int i = 0; i < 12; i++) {
            String tag = http.post("/tags", "{\"name\":\"t" + i + "\"}").json().get("id").asText();
            http.post("/contacts/" + contact + "/tags", "{\"id\":\"" + tag + "\"}");
        }

        Reply shown = http.get("/contacts/" + contact);

        assertThat(shown.json().at("/tags/data")).hasSize(10);
        assertThat(shown.json().at("/tags/total_count").asInt()).isEqualTo(12);
        assertThat(shown.json().at("/tags/has_more").asBoolean()).isTrue();
    }

    @Test
    void postTagsWithUsersTagsThemAll() {
        String other = sandbox.addContact(SeedContact.lead("other@example.com"));

        Reply reply = http.post("/tags", "{\"name\":\"bulk\",\"users\":[{\"id\":\"" + contact + "\"},{\"id\":\"" + other
                + "\"}]}");
        Reply missing = http.post("/tags", "{\"name\":\"bulk\",\"users\":[{\"id\":\"0123456789abcdef01234567\"}]}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(sandbox.contact(other).orElseThrow().tagNames()).containsExactly("bulk");
        assertThat(missing.status()).isEqualTo(404);
    }
}
