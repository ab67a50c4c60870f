package dev.contactfunctions.leadcapture;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.contactfunctions.leadcapture.IntercomStubs.contact;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.contactfunctions.leadcapture.LeadCaptureEvents.Answer;
import dev.contactfunctions.ledger.IdentityLedger;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;

@QuarkusTest
@TestProfile(LeadCaptureProfile.class)
@WithTestResource(LeadCaptureWireMock.class)
class LeadCaptureHandlerTest {

    @InjectWireMock
    WireMockServer wireMock;

    @Inject
    CustomAttributeCatalog attributes;

    @Inject
    TagCatalog tags;

    @Inject
    IdentityLedger identities;

    @BeforeEach
    void freshIntercom() {
        wireMock.resetAll();
        attributes.invalidate();
        tags.invalidate();
        identities.forget(IdentityLedger.email("ada.lovelace@example.com"));
        identities.forget(IdentityLedger.email("grace.hopper@example.com"));
        CircuitBreakerMaintenance.get().resetAll();
        IntercomStubs.stubWorkspace(wireMock);
    }

    @Test
    void newPersonFromTheJsonEventBecomesALeadWithAttributionAndTags() {
        IntercomStubs.stubCreate(wireMock, contact("6650a1", "lead", "ada.lovelace@example.com", 1773144000));
        IntercomStubs.stubTagging(wireMock, "6650a1");

        Answer answer = LeadCaptureEvents.json().post();

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().toString())
                .isEqualTo("{\"contact_id\":\"6650a1\",\"role\":\"lead\",\"outcome\":\"created\"}");
        wireMock.verify(postRequestedFor(urlPathEqualTo("/contacts/search")).withRequestBody(equalToJson(
                "{\"query\":{\"field\":\"email\",\"operator\":\"=\",\"value\":\"ada.lovelace@example.com\"},"
                        + "\"pagination\":{\"per_page\":150}}")));
        wireMock.verify(postRequestedFor(urlPathEqualTo("/contacts")).withRequestBody(equalToJson("""
                {"role":"lead","email":"ada.lovelace@example.com","name":"Ada Lovelace","phone":"+44 20 7946 0018",
                 "custom_attributes":{"company_size":"11-50","seats":12,"newsletter_opt_in":true,
                   "utm_source":"google","first_utm_source":"google","utm_medium":"cpc","first_utm_medium":"cpc",
                   "utm_campaign":"spring_launch","first_utm_campaign":"spring_launch",
                   "utm_term":"crm software","first_utm_term":"crm software",
                   "utm_content":"ad_variant_b","first_utm_content":"ad_variant_b",
                   "landing_page":"https://www.example.com/pricing","first_landing_page":"https://www.example.com/pricing",
                   "referrer":"https://www.google.com/","first_referrer":"https://www.google.com/"}}""")));
        wireMock.verify(postRequestedFor(urlPathEqualTo("/contacts/6650a1/tags"))
                .withRequestBody(equalToJson("{\"id\":\"101\"}")));
        wireMock.verify(postRequestedFor(urlPathEqualTo("/contacts/6650a1/tags"))
                .withRequestBody(equalToJson("{\"id\":\"102\"}")));
        wireMock.verify(exactly(0), putRequestedFor(urlPathEqualTo("/contacts/6650a1")));
        wireMock.verify(exactly(1), getRequestedFor(urlPathEqualTo("/data_attributes")));
    }
}
