package dev.contactfunctions.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.contactfunctions.testsupport.CommittedEvents;

class DemoWorkspaceTest {

    @Test
    void theDemoWorkspaceHasUsersLeadsSegmentsAndSomethingToMerge() {
        try (IntercomSandbox sandbox = IntercomSandbox.start(SandboxOptions.builder()
                .clock(MutableClock.at(Instant.parse("2026-03-10T12:00:00Z"))).build())) {
            DemoWorkspace.seed(sandbox);
            SandboxHttp http = new SandboxHttp(sandbox);

            JsonNode segments = http.get("/segments?include_count=true").json().get("segments");

            assertThat(sandbox.contacts()).hasSize(7);
            assertThat(sandbox.contactsWithEmail(DemoWorkspace.ADA_EMAIL)).extracting(SandboxContact::role)
                    .containsExactlyInAnyOrder("user", "lead");
            assertThat(sandbox.contactsWithEmail(DemoWorkspace.GRACE_EMAIL)).extracting(SandboxContact::role)
                    .containsExactlyInAnyOrder("user", "lead");
            assertThat(segments).extracting(s -> s.get("name").asText() + "=" + s.get("count").asInt())
                    .containsExactly("Enterprise=1", "Pro=1", "Active leads=3", "Newsletter leads=1");
            JsonNode ada = http.get("/contacts/find_by_external_id/user-1001").json();
            assertThat(ada.get("id").asText()).isEqualTo(DemoWorkspace.ADA_USER_ID)
                    .isEqualTo(CommittedEvents.body("intercom-notification.json").at("/data/item/id").asText());
            assertThat(sandbox.customAttributeNames())
                    .containsExactly("plan", "utm_source", "utm_medium", "utm_campaign", "landing_page");
            assertThat(sandbox.contacts()).filteredOn(c -> "free".equals(c.customAttributes().get("plan")))
                    .singleElement().satisfies(linus -> assertThat(linus.tagNames()).containsExactly("plan-pro"));
        }
    }
}
