package dev.contactfunctions.identity;

import dev.contactfunctions.testsupport.LedgerSeeds;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.contactfunctions.identity.IdentifyScenario.EMAIL;
import static dev.contactfunctions.identity.IdentifyScenario.USER;
import static dev.contactfunctions.identity.IntercomJson.lead;
import static dev.contactfunctions.identity.IntercomJson.page;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.testsupport.TestPseudonyms;
import dev.contactfunctions.intercom.model.Contact;
import dev.contactfunctions.ledger.IdentityLedger;
import dev.contactfunctions.testsupport.IntercomWireMock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The service's public API over WireMock: the cap, every page of the search, the ledger's hint, user choice. */
@QuarkusTest
@TestProfile(IdentifyMergeProfile.class)
@WithTestResource(IntercomWireMock.class)
class IdentifyMergeServiceTest extends IdentifyMergeOverWireMock {

    static final String LEAD_1 = "65f0a1b2c3d4e5f600000001";
    static final String LEAD_2 = "65f0a1b2c3d4e5f600000002";
    static final String LEAD_3 = "65f0a1b2c3d4e5f600000003";

    @Inject
    IdentifyMergeService service;
    @Inject
    IdentityLedger ledger;

    @BeforeEach
    void workspace() {
        LedgerSeeds.forgotten(ledger, IdentityLedger.email(TestPseudonyms.LOCAL, EMAIL));
        intercom.stubFor(post(urlEqualTo("/contacts/merge"))
                .willReturn(okJson(IdentifyScenario.user().toString())));
    }

    @Test
    void capMergesTheOldestLeadsAndCountsTheRest() {
        stubLeadSearch(page(lead(LEAD_3, EMAIL, 300, Map.of()), lead(LEAD_1, EMAIL, 100, Map.of()),
                lead(LEAD_2, EMAIL, 200, Map.of())));

        MergeResult result = service.mergeLeadsInto(MergeLeads.of(user(), EMAIL, 2));

        assertThat(result.mergedLeadIds()).containsExactly(LEAD_1, LEAD_2);
        assertThat(result.excessLeads()).isEqualTo(1);
        assertThat(Answers.merged(result)).containsEntry("excess_leads", 1);
        intercom.verify(0, postRequestedFor(urlEqualTo("/contacts/merge"))
                .withRequestBody(matchingJsonPath("$.from", equalTo(LEAD_3))));
    }

    @Test
    void capKeepsTheGivenLeadFirst() {
        stubLeadSearch(page(lead(LEAD_1, EMAIL, 100, Map.of()), lead(LEAD_3, EMAIL, 300, Map.of())));

        MergeResult result = service.mergeLeadsInto(MergeLeads.of(user(), EMAIL, 1).withLead(LEAD_3));

        assertThat(result.mergedLeadIds()).containsExactly(LEAD_3);
        assertThat(result.excessLeads()).isEqualTo(1);
    }

    @Test
    void givenLeadWithAnotherEmailIsSkippedAndNeverMerged() {
        stubLeadSearch(page(lead(LEAD_1, EMAIL, 100, Map.of())));
        intercom.stubFor(get(urlEqualTo("/contacts/" + LEAD_3)).willReturn(okJson(
                lead(LEAD_3, "grace@example.com", 300, Map.of("first_source", "ads")).toString())));

        MergeResult result = service.mergeLeadsInto(MergeLeads.of(user(), EMAIL, 50).withLead(LEAD_3));

        assertThat(result.mergedLeadIds()).containsExactly(LEAD_1);
        assertThat(result.skipped()).containsExactly(new SkippedLead(LEAD_3, SkippedLead.Reason.OTHER_EMAIL));
        assertThat(result.attributesCopied()).isEmpty();
        intercom.verify(0, postRequestedFor(urlEqualTo("/contacts/merge"))
                .withRequestBody(matchingJsonPath("$.from", equalTo(LEAD_3))));
    }

    @Test
    void everyPageOfTheLeadSearchIsRead() {
        intercom.stubFor(post(urlEqualTo("/contacts/search"))
                .withRequestBody(matchingJsonPath("$.pagination.starting_after", equalTo("cursor-2")))
                .willReturn(okJson(page(List.of(lead(LEAD_2, EMAIL, 200, Map.of())), 2, null).toString())));
        intercom.stubFor(post(urlEqualTo("/contacts/search")).atPriority(10)
                .willReturn(okJson(page(List.of(lead(LEAD_1, EMAIL, 100, Map.of())), 2, "cursor-2").toString())));

        MergeResult result = service.mergeLeadsInto(MergeLeads.of(user(), EMAIL, 50));

        assertThat(result.mergedLeadIds()).containsExactly(LEAD_1, LEAD_2);
        intercom.verify(postRequestedFor(urlEqualTo("/contacts/search")).withRequestBody(equalToJson(
                "{\"query\":{\"operator\":\"AND\",\"value\":[{\"field\":\"email\",\"operator\":\"=\",\"value\":\""
                        + EMAIL + "\"},{\"field\":\"role\",\"operator\":\"=\",\"value\":\"lead\"}]},"
                        + "\"pagination\":{\"per_page\":150,\"starting_after\":\"cursor-2\"}}")));
    }

    @Test
    void leadTheLedgerKnowsButSearchDoesNotShowYetIsMergedAndTheEmailNowNamesTheUser() {
        stubLeadSearch(page());
        LedgerSeeds.remembered(ledger, IdentityLedger.email(TestPseudonyms.LOCAL, EMAIL), LEAD_1);
        intercom.stubFor(get(urlEqualTo("/contacts/" + LEAD_1)).willReturn(okJson(lead(LEAD_1, EMAIL, 100,
                Map.of("first_source", "google")).toString())));
        intercom.stubFor(put(urlEqualTo("/contacts/" + USER)).willReturn(okJson(IdentifyScenario.user().toString())));

        MergeResult result = service.mergeLeadsInto(MergeLeads.of(user(), EMAIL, 50));

        assertThat(result.mergedLeadIds()).containsExactly(LEAD_1);
        assertThat(result.attributesCopied()).containsExactly("first_source");
        assertThat(ledger.contactFor(IdentityLedger.email(TestPseudonyms.LOCAL, EMAIL))).contains(USER);
    }

    @Test
    void searchResultWithAnotherEmailIsLeftAlone() {
        stubLeadSearch(page(lead(LEAD_1, "ada@example.com.evil", 100, Map.of()),
                lead(LEAD_2, EMAIL, 200, Map.of())));

        MergeResult result = service.mergeLeadsInto(MergeLeads.of(user(), EMAIL, 50));

        assertThat(result.mergedLeadIds()).containsExactly(LEAD_2);
        assertThat(result.skipped()).containsExactly(new SkippedLead(LEAD_1, SkippedLead.Reason.OTHER_EMAIL));
    }

    @Test
    void aLeadIsNeverAMergeTarget() {
        Contact lead = new Contact(LEAD_1, "lead", null, EMAIL, null, null, 100L, null, null, null, Map.of(), null);

        assertThatThrownBy(() -> service.mergeLeadsInto(MergeLeads.of(lead, EMAIL, 50)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(intercom.getAllServeEvents()).isEmpty();
    }

    @Test
    void userFoundByEmailIsOneNoOtherExternalIdClaimsAndGetsTheExternalId() {
        intercom.stubFor(get(urlEqualTo("/contacts/find_by_external_id/user-1001")).willReturn(aResponse()
                .withStatus(404).withBody(IntercomJson.error("not_found", "User Not Found").toString())));
        ObjectNode claimed = IntercomJson.user("6630d3c1a8b2f5001f2e4c70", EMAIL, "user-0999", Map.of());
        ObjectNode unclaimed = IntercomJson.user(USER, EMAIL, null, Map.of());
        // the sign-up's one search of the email, whatever the role
        intercom.stubFor(post(urlEqualTo("/contacts/search")).withRequestBody(matchingJsonPath(
                "$.query.field", equalTo("email"))).willReturn(okJson(page(claimed, unclaimed).toString())));
        intercom.stubFor(put(urlEqualTo("/contacts/" + USER)).willReturn(okJson(IdentifyScenario.user().toString())));

        IdentifyResult result = service.identify(new IdentifyRequest("user-1001", EMAIL, null, null, null, Map.of(),
                null));

        assertThat(result.userId()).isEqualTo(USER);
        assertThat(result.userCreated()).isFalse();
        intercom.verify(putRequestedFor(urlEqualTo("/contacts/" + USER))
                .withRequestBody(equalToJson("{\"external_id\":\"user-1001\"}")));
        intercom.verify(0, postRequestedFor(urlEqualTo("/contacts")));
        intercom.verify(1, postRequestedFor(urlEqualTo("/contacts/search")));
    }

    @Test
    void eventWithoutEmailMergesTheLeadsOfTheUsersEmail() {
        intercom.stubFor(get(urlEqualTo("/contacts/find_by_external_id/user-1001"))
                .willReturn(okJson(IdentifyScenario.user().toString())));
        stubLeadSearch(page(lead(LEAD_1, EMAIL, 100, Map.of())));

        IdentifyResult result = service.identify(new IdentifyRequest("user-1001", null, null, null, null, Map.of(),
                null));

        assertThat(result.merge().mergedLeadIds()).containsExactly(LEAD_1);
        assertThat(intercom.getAllServeEvents()).hasSize(3);
    }

    private void stubLeadSearch(ObjectNode page) {
        intercom.stubFor(post(urlEqualTo("/contacts/search")).atPriority(10)
                .withRequestBody(matchingJsonPath("$.query.value[1].value", equalTo("lead")))
                .willReturn(okJson(page.toString())));
    }

    private static Contact user() {
        return new Contact(USER, "user", "user-1001", EMAIL, null, null, 1L, null, null, null, Map.of("plan", "free"),
                null);
    }
}
