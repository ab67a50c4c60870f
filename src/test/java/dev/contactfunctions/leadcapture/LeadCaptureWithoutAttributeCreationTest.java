package dev.contactfunctions.leadcapture;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.contactfunctions.leadcapture.IntercomStubs.contact;
import static dev.contactfunctions.leadcapture.IntercomStubs.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.contactfunctions.testsupport.IntercomWireMock;
import dev.contactfunctions.testsupport.WebhookAnswer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@code lead-capture.create-missing-attributes=false}: a missing attribute is a 422 naming it, and nothing is written. */
@QuarkusTest
@TestProfile(LeadCaptureProfile.WithoutAttributeCreation.class)
@WithTestResource(IntercomWireMock.class)
class LeadCaptureWithoutAttributeCreationTest extends LeadCaptureOverWireMock {

    @BeforeEach
    void workspace() {
        IntercomStubs.stubWorkspace(wireMock);
    }

    @Test
    void missingAttributesAreNamedInA422AndNothingIsWritten() {
        List<String> present = new ArrayList<>(IntercomStubs.EVENT_ATTRIBUTES);
        present.removeAll(List.of("seats", "first_referrer"));
        wireMock.stubFor(get(urlPathEqualTo("/data_attributes")).willReturn(ok(IntercomStubs.dataAttributes(present))));

        WebhookAnswer answer = LeadCaptureEvents.json().email(LeadCaptureEvents.uniqueEmail("ada")).post();

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errorCode()).isEqualTo("missing_attributes");
        assertThat(answer.body().path("error").path("message").asText()).contains("seats, first_referrer");
        assertThat(IntercomStubs.writes(wireMock)).isEmpty();
    }

    @Test
    void existingAttributesAreWrittenAsUsual() {
        IntercomStubs.stubCreate(wireMock, contact("6651aa", "lead", "x@example.com", 1773144000));
        IntercomStubs.stubTagging(wireMock, "6651aa");

        WebhookAnswer answer = LeadCaptureEvents.json().email(LeadCaptureEvents.uniqueEmail("ada")).post();

        assertThat(answer.status()).isEqualTo(200);
        assertThat(IntercomStubs.writes(wireMock)).noneMatch(e -> e.getRequest().getUrl().startsWith("/data_attributes"));
    }
}
