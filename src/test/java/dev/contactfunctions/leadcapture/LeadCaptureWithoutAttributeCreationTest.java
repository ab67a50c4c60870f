package dev.contactfunctions.leadcapture;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.contactfunctions.testsupport.IntercomStubs.contact;
import static dev.contactfunctions.testsupport.IntercomStubs.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.contactfunctions.deferral.DeferralQueue;
import dev.contactfunctions.intercom.CallBudget;
import dev.contactfunctions.intercom.IntercomClient;
import dev.contactfunctions.ledger.Ledger;
import dev.contactfunctions.ledger.LedgerConfig;
import dev.contactfunctions.testsupport.HandlerCalls;
import dev.contactfunctions.testsupport.IntercomStubs;
import dev.contactfunctions.testsupport.IntercomWireMock;
import dev.contactfunctions.testsupport.TestLambdaContext;
import dev.contactfunctions.testsupport.WebhookAnswer;
import dev.contactfunctions.webhook.WebhookSecrets;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@code lead-capture.create-missing-attributes=false}: a missing attribute is a 422 naming it, and nothing is written. */
@QuarkusTest
@TestProfile(LeadCaptureProfile.class)
@WithTestResource(IntercomWireMock.class)
class LeadCaptureWithoutAttributeCreationTest extends LeadCaptureOverWireMock {

    @Inject
    LeadCaptureConfig config;
    @Inject
    IntercomClient intercom;
    @Inject
    Ledger ledger;
    @Inject
    LedgerConfig ledgerConfig;
    @Inject
    DeferralQueue queue;
    @Inject
    WebhookSecrets secrets;
    @Inject
    CallBudget budget;
    @Inject
    Clock clock;

    /** An instance deployed with the setting off (built by hand: the application's own instance has it on). */
    private LeadCaptureInstances.Instance instance;

    @BeforeEach
    void workspace() {
        IntercomStubs.stubWorkspace(wireMock);
        instance = LeadCaptureInstances.create(intercom,
                LeadCaptureSettings.of(config).withoutAttributeCreation(), ledger, ledgerConfig, queue,
                secrets, budget, clock);
    }

    private WebhookAnswer post(LeadCaptureEvents.Event event) {
        return HandlerCalls.webhook(instance.handler(), event.toJson(),
                new TestLambdaContext("lead-capture", Duration.ofSeconds(15)));
    }

    @Test
    void missingAttributesAreNamedInA422AndNothingIsWritten() {
        List<String> present = new ArrayList<>(IntercomStubs.EVENT_ATTRIBUTES);
        present.removeAll(List.of("seats", "first_referrer"));
        wireMock.stubFor(get(urlPathEqualTo("/data_attributes")).willReturn(ok(IntercomStubs.dataAttributes(present))));

        WebhookAnswer answer = post(LeadCaptureEvents.json().email(LeadCaptureEvents.uniqueEmail("ada")));

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errorCode()).isEqualTo("missing_attributes");
        assertThat(answer.body().path("error").path("message").asText()).contains("seats, first_referrer");
        assertThat(IntercomStubs.writes(wireMock)).isEmpty();
    }

    @Test
    void existingAttributesAreWrittenAsUsual() {
        IntercomStubs.stubCreate(wireMock, contact("6651aa", "lead", "x@example.com", 1773144000));
        IntercomStubs.stubTagging(wireMock, "6651aa");

        WebhookAnswer answer = post(LeadCaptureEvents.json().email(LeadCaptureEvents.uniqueEmail("ada")));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(IntercomStubs.writes(wireMock)).noneMatch(e -> e.getRequest().getUrl().startsWith("/data_attributes"));
    }
}
