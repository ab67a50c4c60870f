package dev.contactfunctions.leadcapture;

import dev.contactfunctions.testsupport.IntercomStubs;
import dev.contactfunctions.testsupport.LedgerSeeds;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.contactfunctions.testsupport.IntercomStubs.contact;
import static dev.contactfunctions.testsupport.IntercomStubs.error;
import static dev.contactfunctions.testsupport.IntercomStubs.ok;
import static dev.contactfunctions.testsupport.IntercomStubs.searchPage;
import static dev.contactfunctions.testsupport.IntercomStubs.tag;
import static dev.contactfunctions.testsupport.IntercomStubs.withTag;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import dev.contactfunctions.testsupport.TestPseudonyms;
import dev.contactfunctions.ledger.IdentityLedger;
import dev.contactfunctions.testsupport.IntercomWireMock;
import dev.contactfunctions.testsupport.JsonLogCapture;
import dev.contactfunctions.testsupport.LogsInsightsQuery;
import dev.contactfunctions.testsupport.WebhookAnswer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

@QuarkusTest
@TestProfile(LeadCaptureProfile.class)
@WithTestResource(IntercomWireMock.class)
class LeadCaptureHandlerTest extends LeadCaptureOverWireMock {

    @Inject
    IdentityLedger identities;

    @BeforeEach
    void workspace() {
        LedgerSeeds.forgotten(identities, IdentityLedger.email(TestPseudonyms.LOCAL, "ada.lovelace@example.com"));
        LedgerSeeds.forgotten(identities, IdentityLedger.email(TestPseudonyms.LOCAL, "grace.hopper@example.com"));
        IntercomStubs.stubWorkspace(wireMock);
    }

    @Test
    void newPersonFromTheJsonEventBecomesALeadWithAttributionAndTags() {
        IntercomStubs.stubCreate(wireMock, contact("6650a1", "lead", "ada.lovelace@example.com", 1773144000));
        IntercomStubs.stubTagging(wireMock, "6650a1");

        WebhookAnswer answer = LeadCaptureEvents.json().post();

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

    @Test
    void formEventBase64EncodedCreatesALeadAndSplitsCommaTags() {
        IntercomStubs.stubCreate(wireMock, contact("6650b2", "lead", "grace.hopper@example.com", 1773144000));
        IntercomStubs.stubTagging(wireMock, "6650b2");

        WebhookAnswer answer = LeadCaptureEvents.form().post();

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("outcome").asText()).isEqualTo("created");
        wireMock.verify(postRequestedFor(urlPathEqualTo("/contacts")).withRequestBody(equalToJson("""
                {"role":"lead","email":"grace.hopper@example.com","name":"Grace Hopper",
                 "custom_attributes":{"company_size":"51-200",
                   "utm_source":"newsletter","first_utm_source":"newsletter","utm_medium":"email",
                   "first_utm_medium":"email","utm_campaign":"april_digest","first_utm_campaign":"april_digest",
                   "landing_page":"https://www.example.com/demo","first_landing_page":"https://www.example.com/demo"}}""")));
        wireMock.verify(postRequestedFor(urlPathEqualTo("/contacts/6650b2/tags"))
                .withRequestBody(equalToJson("{\"id\":\"103\"}")));
        wireMock.verify(postRequestedFor(urlPathEqualTo("/contacts/6650b2/tags"))
                .withRequestBody(equalToJson("{\"id\":\"104\"}")));
    }

    @Test
    void knownLeadIsUpdatedWithWhatChangedKeepingFirstTouchAndTagsItAlreadyHas() {
        ObjectNode lead = withTag(contact("5ba682", "lead", "ada.lovelace@example.com", 1773000000), "101");
        ((ObjectNode) lead.get("custom_attributes")).put("company_size", "11-50").put("utm_source", "bing")
                .put("first_utm_source", "bing").put("first_landing_page", "");
        wireMock.stubFor(post(urlPathEqualTo("/contacts/search")).willReturn(ok(searchPage(lead))));
        IntercomStubs.stubUpdate(wireMock, lead);
        IntercomStubs.stubTagging(wireMock, "5ba682");

        WebhookAnswer answer = LeadCaptureEvents.json().post();

        assertThat(answer.body().toString())
                .isEqualTo("{\"contact_id\":\"5ba682\",\"role\":\"lead\",\"outcome\":\"updated\"}");
        wireMock.verify(putRequestedFor(urlPathEqualTo("/contacts/5ba682")).withRequestBody(equalToJson("""
                {"name":"Ada Lovelace","phone":"+44 20 7946 0018",
                 "custom_attributes":{"seats":12,"newsletter_opt_in":true,"utm_source":"google",
                   "utm_medium":"cpc","first_utm_medium":"cpc","utm_campaign":"spring_launch",
                   "first_utm_campaign":"spring_launch","utm_term":"crm software","first_utm_term":"crm software",
                   "utm_content":"ad_variant_b","first_utm_content":"ad_variant_b",
                   "landing_page":"https://www.example.com/pricing","first_landing_page":"https://www.example.com/pricing",
                   "referrer":"https://www.google.com/","first_referrer":"https://www.google.com/"}}""")));
        wireMock.verify(exactly(0), postRequestedFor(urlPathEqualTo("/contacts")));
        wireMock.verify(exactly(1), postRequestedFor(urlPathEqualTo("/contacts/5ba682/tags")));
        wireMock.verify(postRequestedFor(urlPathEqualTo("/contacts/5ba682/tags"))
                .withRequestBody(equalToJson("{\"id\":\"102\"}")));
    }

    @Test
    void userWithTheEmailIsUpdatedRatherThanAnyLeadAndKeepsItsOwnName() {
        ObjectNode newerLead = contact("1eadaa", "lead", "ada.lovelace@example.com", 1773100000);
        ObjectNode user = contact("05e7bb", "user", "Ada.Lovelace@example.com", 1770000000).put("name", "Ada L.");
        wireMock.stubFor(post(urlPathEqualTo("/contacts/search")).willReturn(ok(searchPage(newerLead, user))));
        IntercomStubs.stubUpdate(wireMock, user);
        IntercomStubs.stubTagging(wireMock, "05e7bb");

        WebhookAnswer answer = LeadCaptureEvents.json().post();

        assertThat(answer.body().toString())
                .isEqualTo("{\"contact_id\":\"05e7bb\",\"role\":\"user\",\"outcome\":\"updated\"}");
        wireMock.verify(putRequestedFor(urlPathEqualTo("/contacts/05e7bb"))
                .withRequestBody(equalToJson("{\"phone\":\"+44 20 7946 0018\"}", true, true)));
        assertThat(wireMock.findAll(putRequestedFor(urlPathEqualTo("/contacts/05e7bb"))).get(0).getBodyAsString())
                .doesNotContain("\"name\"");
        wireMock.verify(exactly(0), putRequestedFor(urlPathEqualTo("/contacts/1eadaa")));
    }

    @Test
    void onAUserTheFormOnlyFillsEmptyAttributesAndWritesTheAttribution() {
        ObjectNode user = contact("05e7cc", "user", "ada.lovelace@example.com", 1770000000).put("name", "Ada L.")
                .put("phone", "+44 20 0000 0000");
        ((ObjectNode) user.get("custom_attributes")).put("company_size", "1000+").put("seats", 250)
                .put("utm_source", "bing").put("first_utm_source", "bing").put("first_utm_medium", "");
        wireMock.stubFor(post(urlPathEqualTo("/contacts/search")).willReturn(ok(searchPage(user))));
        IntercomStubs.stubUpdate(wireMock, user);
        IntercomStubs.stubTagging(wireMock, "05e7cc");

        WebhookAnswer answer = LeadCaptureEvents.json().post();

        assertThat(answer.body().toString())
                .isEqualTo("{\"contact_id\":\"05e7cc\",\"role\":\"user\",\"outcome\":\"updated\"}");
        // company_size, seats, the name, the phone and the first touch are the customer's: only the empty ones are
        // written, and the last-touch attribution
        wireMock.verify(exactly(1), putRequestedFor(urlPathEqualTo("/contacts/05e7cc")).withRequestBody(equalToJson("""
                {"custom_attributes":{"newsletter_opt_in":true,"utm_source":"google",
                   "utm_medium":"cpc","first_utm_medium":"cpc","utm_campaign":"spring_launch",
                   "first_utm_campaign":"spring_launch","utm_term":"crm software","first_utm_term":"crm software",
                   "utm_content":"ad_variant_b","first_utm_content":"ad_variant_b",
                   "landing_page":"https://www.example.com/pricing","first_landing_page":"https://www.example.com/pricing",
                   "referrer":"https://www.google.com/","first_referrer":"https://www.google.com/"}}""")));
        assertThat(IntercomStubs.writes(wireMock)).extracting(e -> e.getRequest().getMethod() + " "
                + e.getRequest().getUrl()).containsExactlyInAnyOrder("PUT /contacts/05e7cc", "POST /contacts/05e7cc/tags",
                        "POST /contacts/05e7cc/tags");
    }

    @Test
    void mostRecentlyUpdatedOfSeveralLeadsIsTheOneUpdated() {
        ObjectNode older = contact("1eada1", "lead", "ada.lovelace@example.com", 1771000000);
        ObjectNode newest = contact("1eada3", "lead", "ada.lovelace@example.com", 1773000000);
        ObjectNode middle = contact("1eada2", "lead", "ada.lovelace@example.com", 1772000000);
        wireMock.stubFor(post(urlPathEqualTo("/contacts/search")).willReturn(ok(searchPage(older, newest, middle))));
        IntercomStubs.stubUpdate(wireMock, newest);
        IntercomStubs.stubTagging(wireMock, "1eada3");

        WebhookAnswer answer = LeadCaptureEvents.json().post();

        assertThat(answer.body().path("contact_id").asText()).isEqualTo("1eada3");
        assertThat(IntercomStubs.writes(wireMock)).allMatch(e -> e.getRequest().getUrl().startsWith("/contacts/1eada3"));
    }

    @Test
    void conflictOnCreateUpdatesTheContactItNamesKeepingItsFirstTouch() {
        wireMock.stubFor(post(urlPathEqualTo("/contacts")).willReturn(error(409, "conflict",
                "A contact matching those details already exists with id=77889900aa")));
        ObjectNode existing = contact("77889900aa", "lead", "ada.lovelace@example.com", 1772000000);
        ((ObjectNode) existing.get("custom_attributes")).put("first_utm_source", "newsletter");
        wireMock.stubFor(get(urlPathEqualTo("/contacts/77889900aa")).willReturn(ok(existing)));
        IntercomStubs.stubUpdate(wireMock, existing);
        IntercomStubs.stubTagging(wireMock, "77889900aa");

        WebhookAnswer answer = LeadCaptureEvents.json().post();

        assertThat(answer.body().toString())
                .isEqualTo("{\"contact_id\":\"77889900aa\",\"role\":\"lead\",\"outcome\":\"updated\"}");
        wireMock.verify(exactly(0), postRequestedFor(urlPathEqualTo("/contacts/77889900aa/unarchive")));
        String update = wireMock.findAll(putRequestedFor(urlPathEqualTo("/contacts/77889900aa"))).get(0)
                .getBodyAsString();
        assertThat(update).contains("\"utm_source\":\"google\"").doesNotContain("first_utm_source");
    }

    @Test
    void archivedConflictIsUnarchivedBeforeItIsReadAndUpdated() {
        wireMock.stubFor(post(urlPathEqualTo("/contacts")).willReturn(error(409, "conflict",
                "An archived contact matching those details already exists with id=77889900bb")));
        wireMock.stubFor(post(urlPathEqualTo("/contacts/77889900bb/unarchive")).willReturn(ok(
                "{\"type\":\"contact\",\"id\":\"77889900bb\",\"archived\":false}")));
        ObjectNode existing = contact("77889900bb", "lead", "ada.lovelace@example.com", 1772000000);
        wireMock.stubFor(get(urlPathEqualTo("/contacts/77889900bb")).willReturn(ok(existing)));
        IntercomStubs.stubUpdate(wireMock, existing);
        IntercomStubs.stubTagging(wireMock, "77889900bb");

        WebhookAnswer answer = LeadCaptureEvents.json().post();

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("outcome").asText()).isEqualTo("updated");
        List<String> calls = chronological();
        assertThat(calls).containsSubsequence("POST /contacts", "POST /contacts/77889900bb/unarchive",
                "GET /contacts/77889900bb", "PUT /contacts/77889900bb");
    }

    @Test
    void sameIdempotencyKeyGetsTheSameAnswerWithoutCallingIntercomAndADifferentLeadUnderItIsRefused() {
        IntercomStubs.stubCreate(wireMock, contact("6650c3", "lead", "ada.lovelace@example.com", 1773144000));
        IntercomStubs.stubTagging(wireMock, "6650c3");
        String key = "delivery-" + java.util.UUID.randomUUID();
        WebhookAnswer first = LeadCaptureEvents.json().idempotencyKey(key).post();
        everyRequestSentToIntercomMatchesItsDescription(); // before the first phase's requests are forgotten
        wireMock.resetRequests();

        WebhookAnswer again = LeadCaptureEvents.json().idempotencyKey(key).post();
        WebhookAnswer otherLead = LeadCaptureEvents.json().idempotencyKey(key)
                .email(LeadCaptureEvents.uniqueEmail("other")).post();

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.body().path("outcome").asText()).isEqualTo("created");
        assertThat(otherLead.status()).isEqualTo(422);
        assertThat(otherLead.errorCode()).isEqualTo("idempotency_key_reused");
        assertThat(wireMock.getAllServeEvents()).isEmpty();
    }

    @Test
    void samePersonAgainWhileSearchLagsIsFoundByItsRememberedIdNotCreatedTwice() {
        ObjectNode created = contact("6650d4", "lead", "ada.lovelace@example.com", 1773144000);
        IntercomStubs.stubCreate(wireMock, created);
        IntercomStubs.stubTagging(wireMock, "6650d4");
        LeadCaptureEvents.json().post();
        everyRequestSentToIntercomMatchesItsDescription(); // before the first phase's requests are forgotten
        wireMock.resetRequests();
        ObjectNode stored = withTag(withTag(created.deepCopy(), "101"), "102");
        ((ObjectNode) stored.get("custom_attributes")).put("first_utm_source", "google").put("utm_source", "google");
        wireMock.stubFor(get(urlPathEqualTo("/contacts/6650d4")).willReturn(ok(stored)));
        IntercomStubs.stubUpdate(wireMock, stored);

        WebhookAnswer again = LeadCaptureEvents.json().json(b -> b.put("utm_source", "linkedin")).post();

        assertThat(again.body().toString())
                .isEqualTo("{\"contact_id\":\"6650d4\",\"role\":\"lead\",\"outcome\":\"updated\"}");
        wireMock.verify(exactly(0), postRequestedFor(urlPathEqualTo("/contacts/search")));
        wireMock.verify(exactly(0), postRequestedFor(urlPathEqualTo("/contacts")));
        String update = wireMock.findAll(putRequestedFor(urlPathEqualTo("/contacts/6650d4"))).get(0)
                .getBodyAsString();
        assertThat(update).contains("\"utm_source\":\"linkedin\"").doesNotContain("first_utm_source");
        wireMock.verify(exactly(0), postRequestedFor(urlPathEqualTo("/contacts/6650d4/tags")));
    }

    @Test
    void rememberedContactThatIsGoneIsForgottenAndSearchDecides() {
        LedgerSeeds.remembered(identities, IdentityLedger.email(TestPseudonyms.LOCAL, "ada.lovelace@example.com"), "deadbeef01");
        wireMock.stubFor(get(urlPathEqualTo("/contacts/deadbeef01"))
                .willReturn(error(404, "not_found", "User Not Found")));
        ObjectNode user = contact("05e7cc", "user", "ada.lovelace@example.com", 1772000000);
        wireMock.stubFor(post(urlPathEqualTo("/contacts/search")).willReturn(ok(searchPage(user))));
        IntercomStubs.stubUpdate(wireMock, user);
        IntercomStubs.stubTagging(wireMock, "05e7cc");

        WebhookAnswer answer = LeadCaptureEvents.json().post();

        assertThat(answer.body().path("contact_id").asText()).isEqualTo("05e7cc");
        assertThat(identities.contactFor(IdentityLedger.email(TestPseudonyms.LOCAL, "ada.lovelace@example.com"))).contains("05e7cc");
    }

    @Test
    void missingAttributesAreCreatedWithTheTypeOfTheirValueBeforeTheWrite() {
        List<String> present = new ArrayList<>(IntercomStubs.EVENT_ATTRIBUTES);
        present.removeAll(List.of("seats", "newsletter_opt_in", "first_referrer"));
        wireMock.stubFor(get(urlPathEqualTo("/data_attributes")).willReturn(ok(IntercomStubs.dataAttributes(present))));
        wireMock.stubFor(post(urlPathEqualTo("/data_attributes")).willReturn(ok(IntercomStubs.dataAttribute("x", "string"))));
        IntercomStubs.stubCreate(wireMock, contact("6650e5", "lead", "ada.lovelace@example.com", 1773144000));
        IntercomStubs.stubTagging(wireMock, "6650e5");

        WebhookAnswer answer = LeadCaptureEvents.json().post();

        assertThat(answer.status()).isEqualTo(200);
        wireMock.verify(exactly(3), postRequestedFor(urlPathEqualTo("/data_attributes")));
        wireMock.verify(postRequestedFor(urlPathEqualTo("/data_attributes")).withRequestBody(equalToJson(
                "{\"name\":\"seats\",\"model\":\"contact\",\"data_type\":\"integer\"}", true, true)));
        wireMock.verify(postRequestedFor(urlPathEqualTo("/data_attributes")).withRequestBody(equalToJson(
                "{\"name\":\"newsletter_opt_in\",\"model\":\"contact\",\"data_type\":\"boolean\"}", true, true)));
        wireMock.verify(postRequestedFor(urlPathEqualTo("/data_attributes")).withRequestBody(equalToJson(
                "{\"name\":\"first_referrer\",\"model\":\"contact\",\"data_type\":\"string\"}", true, true)));
        assertThat(chronological().indexOf("POST /contacts"))
                .isGreaterThan(chronological().lastIndexOf("POST /data_attributes"));
    }

    @Test
    void attributeCreatedMeanwhileElsewhereCountsAsExisting() {
        List<String> present = new ArrayList<>(IntercomStubs.EVENT_ATTRIBUTES);
        present.remove("seats");
        wireMock.stubFor(get(urlPathEqualTo("/data_attributes")).willReturn(ok(IntercomStubs.dataAttributes(present))));
        wireMock.stubFor(post(urlPathEqualTo("/data_attributes")).willReturn(error(400, "parameter_invalid",
                "You already have 'seats' in your people data. To save this as new people data, use a different name.")));
        IntercomStubs.stubCreate(wireMock, contact("6650f6", "lead", "ada.lovelace@example.com", 1773144000));
        IntercomStubs.stubTagging(wireMock, "6650f6");

        WebhookAnswer answer = LeadCaptureEvents.json().post();

        assertThat(answer.status()).isEqualTo(200);
        wireMock.verify(exactly(1), postRequestedFor(urlPathEqualTo("/contacts")));
    }

    @Test
    void attributeNameHeldByACompanyAttributeIsRefusedBeforeAnyContactWrite() {
        List<String> present = new ArrayList<>(IntercomStubs.EVENT_ATTRIBUTES);
        present.remove("seats");
        wireMock.stubFor(get(urlPathEqualTo("/data_attributes")).willReturn(ok(IntercomStubs.dataAttributes(present))));
        wireMock.stubFor(post(urlPathEqualTo("/data_attributes")).willReturn(error(400, "parameter_invalid",
                "You already have 'seats' in your company data. To save this as new people data, use a different name.")));

        WebhookAnswer answer = LeadCaptureEvents.json().post();

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errorCode()).isEqualTo("attribute_name_taken");
        assertThat(answer.errorField()).isEqualTo("custom_attributes.seats");
        assertThat(IntercomStubs.writes(wireMock)).extracting(e -> e.getRequest().getUrl())
                .containsOnly("/data_attributes");
    }

    @Test
    void attributeDeletedSinceItWasCachedIsRecreatedAndTheWriteRepeatedOnce() {
        List<String> withoutSeats = new ArrayList<>(IntercomStubs.EVENT_ATTRIBUTES);
        withoutSeats.remove("seats");
        wireMock.stubFor(get(urlPathEqualTo("/data_attributes")).inScenario("stale").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(ok(IntercomStubs.dataAttributes(IntercomStubs.EVENT_ATTRIBUTES))).willSetStateTo("listed"));
        wireMock.stubFor(get(urlPathEqualTo("/data_attributes")).inScenario("stale").whenScenarioStateIs("listed")
                .willReturn(ok(IntercomStubs.dataAttributes(withoutSeats))));
        wireMock.stubFor(post(urlPathEqualTo("/data_attributes")).willReturn(ok(IntercomStubs.dataAttribute("seats", "integer"))));
        wireMock.stubFor(post(urlPathEqualTo("/contacts")).inScenario("write").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(error(400, "parameter_invalid", "Custom attribute 'seats' does not exist"))
                .willSetStateTo("refused"));
        wireMock.stubFor(post(urlPathEqualTo("/contacts")).inScenario("write").whenScenarioStateIs("refused")
                .willReturn(ok(contact("665107", "lead", "ada.lovelace@example.com", 1773144000))));
        IntercomStubs.stubTagging(wireMock, "665107");

        WebhookAnswer answer = LeadCaptureEvents.json().post();

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("contact_id").asText()).isEqualTo("665107");
        wireMock.verify(exactly(2), getRequestedFor(urlPathEqualTo("/data_attributes")));
        wireMock.verify(exactly(1), postRequestedFor(urlPathEqualTo("/data_attributes"))
                .withRequestBody(equalToJson("{\"name\":\"seats\",\"data_type\":\"integer\"}", true, true)));
        wireMock.verify(exactly(2), postRequestedFor(urlPathEqualTo("/contacts")));
    }

    @Test
    void tagsMissingInTheWorkspaceAreCreatedThenAttached() {
        wireMock.stubFor(get(urlPathEqualTo("/tags")).willReturn(ok(IntercomStubs.tagList())));
        wireMock.stubFor(post(urlPathEqualTo("/tags")).withRequestBody(equalToJson("{\"name\":\"pricing-page\"}"))
                .willReturn(ok(tag("301", "pricing-page"))));
        wireMock.stubFor(post(urlPathEqualTo("/tags")).withRequestBody(equalToJson("{\"name\":\"spring-launch\"}"))
                .willReturn(ok(tag("302", "spring-launch"))));
        IntercomStubs.stubCreate(wireMock, contact("665118", "lead", "ada.lovelace@example.com", 1773144000));
        IntercomStubs.stubTagging(wireMock, "665118");

        WebhookAnswer answer = LeadCaptureEvents.json().post();

        assertThat(answer.status()).isEqualTo(200);
        wireMock.verify(postRequestedFor(urlPathEqualTo("/contacts/665118/tags")).withRequestBody(equalToJson("{\"id\":\"301\"}")));
        wireMock.verify(postRequestedFor(urlPathEqualTo("/contacts/665118/tags")).withRequestBody(equalToJson("{\"id\":\"302\"}")));
    }

    @Test
    void tagDeletedSinceItWasCachedIsRecreatedAndAttached() {
        IntercomStubs.stubCreate(wireMock, contact("665129", "lead", "ada.lovelace@example.com", 1773144000));
        wireMock.stubFor(post(urlPathEqualTo("/contacts/665129/tags")).withRequestBody(equalToJson("{\"id\":\"101\"}"))
                .willReturn(error(404, "not_found", "Resource Not Found")));
        wireMock.stubFor(post(urlPathEqualTo("/tags")).willReturn(ok(tag("401", "pricing-page"))));
        wireMock.stubFor(post(urlPathEqualTo("/contacts/665129/tags")).withRequestBody(equalToJson("{\"id\":\"401\"}"))
                .willReturn(ok(tag("401", "pricing-page"))));

        WebhookAnswer answer = LeadCaptureEvents.json().json(b -> b.putArray("tags").add("pricing-page")).post();

        assertThat(answer.status()).isEqualTo(200);
        wireMock.verify(exactly(1), postRequestedFor(urlPathEqualTo("/tags"))
                .withRequestBody(equalToJson("{\"name\":\"pricing-page\"}")));
        wireMock.verify(postRequestedFor(urlPathEqualTo("/contacts/665129/tags")).withRequestBody(equalToJson("{\"id\":\"401\"}")));
    }

    @Test
    void knownPersonWithNothingNewCostsOneSearchAndNoWrite() {
        ObjectNode lead = withTag(withTag(contact("5ba699", "lead", "ada.lovelace@example.com", 1773000000), "101"), "102");
        lead.put("name", "Ada Lovelace").put("phone", "+44 20 7946 0018");
        ObjectNode attrs = (ObjectNode) lead.get("custom_attributes");
        attrs.put("company_size", "11-50").put("seats", 12).put("newsletter_opt_in", true);
        LeadCaptureEvents.json().json(b -> b.fields().forEachRemaining(e -> {
            if (LeadSubmission.ATTRIBUTION_FIELDS.contains(e.getKey())) {
                attrs.put(e.getKey(), e.getValue().asText());
                attrs.put("first_" + e.getKey(), e.getValue().asText());
            }
        }));
        wireMock.stubFor(post(urlPathEqualTo("/contacts/search")).willReturn(ok(searchPage(lead))));

        WebhookAnswer answer = LeadCaptureEvents.json().post();

        assertThat(answer.body().path("outcome").asText()).isEqualTo("updated");
        assertThat(IntercomStubs.writes(wireMock)).isEmpty();
        wireMock.verify(exactly(1), postRequestedFor(urlPathEqualTo("/contacts/search")));
    }

    @Test
    void eachDeliveryLogsOneLineWithOutcomeContactAndFingerprintButNeverTheEmail() {
        IntercomStubs.stubCreate(wireMock, contact("66513a", "lead", "ada.lovelace@example.com", 1773144000));
        IntercomStubs.stubTagging(wireMock, "66513a");
        List<String> lines = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(String.format(record.getMessage(), record.getParameters() == null ? new Object[0]
                        : record.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(LeadCaptureHandler.class.getName());
        logger.addHandler(capture);
        try {
            LeadCaptureEvents.json().post();
            LeadCaptureEvents.json().email("not-an-email").post();
        } finally {
            logger.removeHandler(capture);
        }

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("status=200", "outcome=created", "contact_id=66513a",
                "email_fp=" + TestPseudonyms.LOCAL.emailFingerprint("ada.lovelace@example.com"), "duration_ms=");
        assertThat(lines.get(1)).contains("status=400", "outcome=rejected", "error=invalid_email");
        assertThat(String.join("\n", lines)).doesNotContain("@").doesNotContainIgnoringCase("lovelace");
    }

    @Test
    void aForgedIdempotencyKeyStaysOneValueAndTheDeliveriesQueryReadsTheRealOutcomeAndDuration() {
        IntercomStubs.stubCreate(wireMock, contact("66514b", "lead", "ada.lovelace@example.com", 1773144000));
        IntercomStubs.stubTagging(wireMock, "66514b");
        String forged = "k-duration_ms=999999,outcome=forged";
        List<JsonNode> lines;
        try (JsonLogCapture capture = JsonLogCapture.of(LeadCaptureHandler.class)) {
            assertThat(LeadCaptureEvents.json().idempotencyKey(forged).post().status()).isEqualTo(200);
            lines = capture.lines();
        }

        assertThat(lines).hasSize(1);
        JsonNode line = lines.get(0);
        assertThat(JsonLogCapture.valuesNamed(line, "outcome")).as("%s", line).containsExactly("created");
        List<String> durations = JsonLogCapture.valuesNamed(line, "duration_ms");
        assertThat(durations).as("%s", line).singleElement().asString().matches("\\d+").isNotEqualTo("999999");
        assertThat(JsonLogCapture.valuesNamed(line, "delivery_id")).containsExactly(forged);
        assertThat(line.get("message").asText()).contains("delivery_id=\"" + forged + "\"");
        assertThat(LogsInsightsQuery.read("deliveries.query").valuesOf(line)).containsEntry("function", "lead-capture")
                .containsEntry("status", "200").containsEntry("outcome", "created")
                .containsEntry("durationms", durations.get(0));
    }

    private List<String> chronological() {
        List<String> calls = new ArrayList<>(IntercomStubs.calls(wireMock));
        java.util.Collections.reverse(calls); // WireMock lists the newest first
        return calls.stream().map(c -> c.replaceAll("\\?.*$", "")).toList();
    }
}
