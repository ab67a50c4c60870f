package dev.contactfunctions.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.contactfunctions.sandbox.SandboxHttp.Reply;

/** {@code POST /contacts/merge}: lead into user only, and the lead is gone afterwards. */
class SandboxMergeTest {

    private final MutableClock clock = MutableClock.at(Instant.parse("2026-03-10T12:00:00Z"));
    @RegisterExtension
    final RunningSandbox running = new RunningSandbox(() -> SandboxOptions.builder().clock(clock).build());
    private IntercomSandbox sandbox;
    private SandboxHttp http;
    private String user;
    private String lead;

    @BeforeEach
    void start() {
        sandbox = running.sandbox();
        sandbox.defineDataAttribute("utm_source", "string");
        http = running.http();
        user = sandbox.addContact(SeedContact.user("u-1", "ada@example.com").name("Ada").tag("customer"));
        lead = sandbox.addContact(SeedContact.lead("ada@example.com").tag("newsletter").tag("customer")
                .attribute("utm_source", "google"));
    }

    private Reply merge(String from, String into) {
        return http.post("/contacts/merge", "{\"from\":\"" + from + "\",\"into\":\"" + into + "\"}");
    }

    @Test
    void mergingALeadIntoAUserAnswersTheUserWithTheLeadsTags() {
        clock.advance(Duration.ofMinutes(1));

        Reply merged = merge(lead, user);

        assertThat(merged.status()).isEqualTo(200);
        assertThat(merged.json().get("id").asText()).isEqualTo(user);
        assertThat(merged.json().get("role").asText()).isEqualTo("user");
        assertThat(merged.json().at("/tags/total_count").asInt()).isEqualTo(2);
        assertThat(sandbox.contact(user).orElseThrow().tagNames()).containsExactly("customer", "newsletter");
        assertThat(merged.json().get("updated_at").asLong()).isEqualTo(clock.instant().getEpochSecond());
        assertThat(sandbox.mergedInto(lead)).contains(user);
    }

    @Test
    void onlyDocumentedDataMovesTheLeadsCustomAttributesDoNot() {
        merge(lead, user);

        assertThat(sandbox.contact(user).orElseThrow().customAttributes()).doesNotContainKey("utm_source");
    }

    @Test
    void theMergedLeadIsGoneFromGetListSearchAndFurtherMerges() {
        merge(lead, user);

        Reply get = http.get("/contacts/" + lead);
        Reply list = http.get("/contacts");
        Reply search = http.search("{\"field\":\"email\",\"operator\":\"=\",\"value\":\"ada@example.com\"}");
        Reply again = merge(lead, user);

        assertThat(get.status()).isEqualTo(404);
        assertThat(get.errorMessage()).isEqualTo("User Not Found");
        assertThat(list.json().get("total_count").asInt()).isEqualTo(1);
        assertThat(search.json().get("total_count").asInt()).isEqualTo(1);
        assertThat(search.json().at("/data/0/id").asText()).isEqualTo(user);
        assertThat(again.status()).isEqualTo(404);
        assertThat(sandbox.contacts()).extracting(SandboxContact::id).containsExactly(user);
    }

    @Test
    void aUserCannotBeMergedIntoAnything() {
        String otherUser = sandbox.addContact(SeedContact.user("u-2", "ada@example.com"));

        Reply intoUser = merge(user, otherUser);
        Reply intoLead = merge(user, lead);

        assertThat(intoUser.status()).isEqualTo(400);
        assertThat(intoUser.errorCode()).isEqualTo("parameter_invalid");
        assertThat(intoLead.status()).isEqualTo(400);
        assertThat(sandbox.contacts()).hasSize(3);
    }

    @Test
    void aLeadCannotBeMergedIntoALead() {
        String otherLead = sandbox.addContact(SeedContact.lead("ada@example.com"));

        Reply reply = merge(lead, otherLead);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(sandbox.contact(lead)).isPresent();
    }

    @Test
    void unknownIdsGet404AndMissingOnesGet400() {
        assertThat(merge("0123456789abcdef01234567", user).status()).isEqualTo(404);
        assertThat(merge(lead, "0123456789abcdef01234567").status()).isEqualTo(404);
        assertThat(merge(lead, lead).status()).isEqualTo(400);
        assertThat(http.post("/contacts/merge", "{\"from\":\"" + lead + "\"}").status()).isEqualTo(400);
    }

    @Test
    void theMergedUserShowsInSearchWithItsNewTagsAfterTheLag() {
        sandbox.setSearchLag(Duration.ofMinutes(1));
        String newsletterTag = sandbox.defineTag("newsletter");
        String query = "{\"field\":\"tag_id\",\"operator\":\"=\",\"value\":\"" + newsletterTag + "\"}";

        merge(lead, user);
        Reply during = http.search(query);
        clock.advance(Duration.ofMinutes(1));
        Reply after = http.search(query);

        assertThat(during.json().get("total_count").asInt()).isZero();
        assertThat(after.json().at("/data/0/id").asText()).isEqualTo(user);
    }
}
