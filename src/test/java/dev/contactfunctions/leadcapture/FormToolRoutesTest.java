package dev.contactfunctions.leadcapture;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.contactfunctions.testsupport.IntercomStubs.contact;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.testsupport.IntercomStubs;
import dev.contactfunctions.deferral.DeferredDeliveryConsumer;
import dev.contactfunctions.intercom.CallBudget;
import dev.contactfunctions.ledger.IdentityLedger;
import dev.contactfunctions.testsupport.HandlerCalls;
import dev.contactfunctions.testsupport.IntercomWireMock;
import dev.contactfunctions.testsupport.LedgerSeeds;
import dev.contactfunctions.testsupport.TestPseudonyms;
import dev.contactfunctions.testsupport.WebhookAnswer;
import dev.contactfunctions.webhook.FormToolSignatures;
import dev.contactfunctions.webhook.RequiredSettings;
import dev.contactfunctions.webhook.TestWebhookSecrets;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * The form tools' own webhooks: each vendor's documented sample, signed as the vendor signs it, makes one lead with its
 * mapped attribution, and the vendor's retry is answered from the ledger; every bad input gets its precise answer and
 * nothing is written.
 */
@QuarkusTest
@TestProfile(LeadCaptureProfile.class)
@WithTestResource(IntercomWireMock.class)
class FormToolRoutesTest extends LeadCaptureOverWireMock {

    @Inject
    IdentityLedger identities;

    @BeforeEach
    void workspace() {
        for (String email : new String[] { "laura@example.com", "alice.martin@example.com", "zaphod@heartofgold.ai" }) {
            LedgerSeeds.forgotten(identities, IdentityLedger.email(TestPseudonyms.LOCAL, email));
        }
        IntercomStubs.stubWorkspace(wireMock);
    }

    @Test
    void typeformSampleMakesOneLeadWithItsHiddenUtmFieldsAndItsRetryIsAnsweredFromTheLedger() {
        IntercomStubs.stubCreate(wireMock, contact("7f0a01", "lead", "laura@example.com", 1773144000));
        FormToolEvents.Event delivery = FormToolEvents.of("typeform");
        String event = delivery.toJson();

        WebhookAnswer first = post(event);
        WebhookAnswer retry = post(event);

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().toString())
                .isEqualTo("{\"contact_id\":\"7f0a01\",\"role\":\"lead\",\"outcome\":\"created\"}");
        wireMock.verify(exactly(1), postRequestedFor(urlPathEqualTo("/contacts")).withRequestBody(equalToJson("""
                {"role":"lead","email":"laura@example.com",
                 "custom_attributes":{"utm_source":"newsletter","first_utm_source":"newsletter",
                   "utm_medium":"email","first_utm_medium":"email",
                   "utm_campaign":"spring_launch","first_utm_campaign":"spring_launch"}}""")));
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(IntercomStubs.calls(wireMock)).hasSize(3); // attributes, search, create: the retry called nothing
    }

    @Test
    void tallySampleMakesOneLeadWithNamePhoneAndHiddenUtmFields() {
        IntercomStubs.stubCreate(wireMock, contact("7f0a02", "lead", "alice.martin@example.com", 1773144000));

        WebhookAnswer answer = FormToolEvents.of("tally").post();

        assertThat(answer.status()).isEqualTo(200);
        wireMock.verify(exactly(1), postRequestedFor(urlPathEqualTo("/contacts")).withRequestBody(equalToJson("""
                {"role":"lead","email":"alice.martin@example.com","name":"Alice Martin","phone":"+32 470 12 34 56",
                 "custom_attributes":{"utm_source":"linkedin","first_utm_source":"linkedin",
                   "utm_campaign":"spring_launch","first_utm_campaign":"spring_launch"}}""")));
    }

    @Test
    void webflowSampleSignedByAnApplicationMakesOneLeadAndItsRetryIsAnsweredFromTheLedger() {
        IntercomStubs.stubCreate(wireMock, contact("7f0a03", "lead", "zaphod@heartofgold.ai", 1773144000));
        FormToolEvents.Event delivery = FormToolEvents.of("webflow");
        String event = delivery.toJson();

        WebhookAnswer first = post(event);
        WebhookAnswer retry = post(event);

        assertThat(first.status()).isEqualTo(200);
        assertThat(retry.body()).isEqualTo(first.body());
        wireMock.verify(exactly(1), postRequestedFor(urlPathEqualTo("/contacts")).withRequestBody(equalToJson("""
                {"role":"lead","email":"zaphod@heartofgold.ai",
                 "custom_attributes":{"utm_source":"heartofgold","first_utm_source":"heartofgold",
                   "utm_campaign":"improbability","first_utm_campaign":"improbability"}}""")));
    }

    @Test
    void webflowSiteWebhookUnsignedIsAcceptedWithTheUrlToken() {
        IntercomStubs.stubCreate(wireMock, contact("7f0a04", "lead", "zaphod@heartofgold.ai", 1773144000));

        WebhookAnswer answer = FormToolEvents.of("webflow").unsigned()
                .query(FormToolSignatures.TOKEN_PARAMETER, LeadCaptureEvents.SECRET).post();

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("outcome").asText()).isEqualTo("created");
    }

    @ParameterizedTest
    @ValueSource(strings = { "typeform", "tally", "webflow" })
    void anotherEventTypeIsAcknowledgedAsIgnoredWithoutAnyCall(String source) {
        WebhookAnswer answer = FormToolEvents.of(source).eventType("form_response_partial").post();

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().toString()).isEqualTo("{\"status\":\"ignored\",\"reason\":\"event_type_not_handled\","
                + "\"event_type\":\"form_response_partial\"}");
        assertThat(wireMock.getAllServeEvents()).isEmpty();
    }

    @Test
    void aKeyOfAnotherRouteOpensNoFormToolRoute() {
        for (String source : FormToolEvents.SOURCES) {
            WebhookAnswer answer = FormToolEvents.of(source).signedWith("local-dev-identify-signing-secret").post();
            assertThat(answer.status()).as(source).isEqualTo(401);
            assertThat(answer.errorCode()).as(source).isEqualTo("invalid_signature");
        }
        assertThat(wireMock.getAllServeEvents()).isEmpty();
    }

    /** Refused before Intercom is called: the status, the code and the field named. */
    static Stream<Arguments> refused() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (String source : FormToolEvents.SOURCES) {
            cases.add(refused(source, "no signature", () -> FormToolEvents.of(source).unsigned(), 401,
                    "missing_signature", null));
            cases.add(refused(source, "signed with another secret",
                    () -> FormToolEvents.of(source).signedWith("not-the-secret"), 401, "invalid_signature", null));
            cases.add(refused(source, "body changed after signing", () -> tampered(source), 401,
                    "invalid_signature", null));
            cases.add(refused(source, "no email", () -> FormToolEvents.of(source).json(b -> removeEmail(source, b)),
                    400, "missing_field", "email"));
            cases.add(refused(source, "an invalid email", () -> FormToolEvents.of(source).email("not-an-email"),
                    400, "invalid_email", emailPath(source)));
            cases.add(refused(source, "an email over 254 characters",
                    () -> FormToolEvents.of(source).email("a".repeat(250) + "@example.com"), 400, "field_too_long",
                    emailPath(source)));
            cases.add(refused(source, "body over 64 KiB", () -> FormToolEvents.of(source)
                    .json(b -> b.put("padding", "x".repeat(64 * 1024))), 413, "body_too_large", null));
            cases.add(refused(source, "not JSON", () -> FormToolEvents.of(source).body("{\"event"), 400,
                    "malformed_body", null));
        }
        cases.add(refused("typeform", "a utm_* hidden field over 255 characters", () -> FormToolEvents.of("typeform")
                .json(b -> ((ObjectNode) b.path("form_response").path("hidden")).put("utm_source", "s".repeat(256))),
                400, "field_too_long", "form_response.hidden.utm_source"));
        cases.add(refused("tally", "a name over 255 characters", () -> FormToolEvents.of("tally")
                .json(b -> ((ObjectNode) b.path("data").path("fields").path(0)).put("value", "n".repeat(256))),
                400, "field_too_long", "data.fields[key=question_3EKz4n]"));
        cases.add(refused("typeform", "no response token", () -> FormToolEvents.of("typeform")
                .json(b -> ((ObjectNode) b.get("form_response")).remove("token")), 400, "missing_field",
                "form_response.token"));
        cases.add(refused("webflow", "signed six minutes ago", () -> FormToolEvents.of("webflow")
                .signedAt(Instant.now().minus(Duration.ofMinutes(6))), 401, "stale_signature", null));
        cases.add(refused("webflow", "signed ten minutes ahead", () -> FormToolEvents.of("webflow")
                .signedAt(Instant.now().plus(Duration.ofMinutes(10))), 401, "stale_signature", null));
        cases.add(refused("webflow", "timestamp beyond any clock", () -> FormToolEvents.of("webflow")
                .header("x-webflow-timestamp", "999999999999999999").header("x-webflow-signature", "00")
                .keepSignature(), 401, "stale_signature", null));
        cases.add(refused("webflow", "the committed event's old signature", () -> new FormToolEvents.Event("webflow",
                LeadCaptureEvents.load(java.nio.file.Path.of("infra/events/lead-capture-webflow.json"))
                        .idempotencyKey(null)).keepSignature(), 401, "stale_signature", null));
        cases.add(refused("webflow", "unsigned with a wrong URL token", () -> FormToolEvents.of("webflow")
                .unsigned().query("token", "guessed"), 401, "invalid_token", null));
        cases.add(refused("typeform", "signature without sha256=", () -> FormToolEvents.of("typeform")
                .header("typeform-signature", "c2lnbmF0dXJl").keepSignature(), 401, "malformed_signature", null));
        return cases.build();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("refused")
    void refusedBeforeAnyIntercomCall(String source, String name, Supplier<FormToolEvents.Event> event, int status,
            String code, String field) {
        WebhookAnswer answer = event.get().post();

        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.errorCode()).isEqualTo(code);
        assertThat(answer.body().path("error").path("message").asText()).isNotBlank();
        assertThat(answer.errorField()).isEqualTo(field);
        assertThat(wireMock.getAllServeEvents()).isEmpty();
    }

    @Test
    void aPathUnderTheLeadRouteThatNamesNoFormToolIsNotFound() {
        FormToolEvents.Event event = FormToolEvents.of("typeform");
        event.root().put("rawPath", "/webhooks/leads/jotform");

        WebhookAnswer answer = event.post();

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.errorCode()).isEqualTo("unknown_route");
        assertThat(wireMock.getAllServeEvents()).isEmpty();
    }

    @Test
    void aFormToolWhoseKeyIsNotSetAnswersNotConfiguredNamingItAndWritesNothing() {
        LeadCaptureHandler deployedWithoutTally = new LeadCaptureHandler(Arc.container().instance(LeadEndpoint.class)
                .get(), new FormToolEndpoint(Arc.container().instance(LeadCaptureDeliveries.class).get(),
                        TestWebhookSecrets.formTools("local-dev-signing-secret", null, null, null,
                                java.time.Clock.systemUTC()), Arc.container().instance(FormFieldMapping.class).get(),
                        Arc.container().instance(RequiredSettings.class).get(), TestPseudonyms.LOCAL),
                Arc.container().instance(LeadAnswers.class).get(), Arc.container().instance(CallBudget.class).get(),
                Arc.container().instance(DeferredDeliveryConsumer.class).get());

        WebhookAnswer tally = HandlerCalls.webhook(deployedWithoutTally, FormToolEvents.of("tally").toJson());
        WebhookAnswer webflow = HandlerCalls.webhook(deployedWithoutTally, FormToolEvents.of("webflow").unsigned()
                .query("token", "anything").toJson());

        assertThat(tally.status()).isEqualTo(503);
        assertThat(tally.errorCode()).isEqualTo("not_configured");
        assertThat(tally.body().path("error").path("message").asText())
                .contains("TALLY_SIGNING_SECRET_ARN (or TALLY_SIGNING_SECRET)");
        assertThat(webflow.status()).isEqualTo(503);
        assertThat(webflow.body().path("error").path("message").asText()).contains("WEBFLOW_SIGNING_SECRET_ARN")
                .contains("WEBFLOW_URL_TOKEN_ARN");
        assertThat(wireMock.getAllServeEvents()).isEmpty();
    }

    static String emailPath(String source) {
        return switch (source) {
            case "typeform" -> "form_response.answers[ref=readable_ref_email]";
            case "tally" -> "data.fields[key=question_w4Q4Xn]";
            default -> "payload.data.email";
        };
    }

    static void removeEmail(String source, ObjectNode body) {
        switch (source) {
            case "typeform" -> ((com.fasterxml.jackson.databind.node.ArrayNode) body.path("form_response")
                    .path("answers")).remove(1);
            case "tally" -> ((com.fasterxml.jackson.databind.node.ArrayNode) body.path("data").path("fields"))
                    .remove(1);
            default -> ((ObjectNode) body.path("payload").path("data")).remove("email");
        }
    }

    /** Signed as sent, then its email changed. */
    private static FormToolEvents.Event tampered(String source) {
        try {
            ObjectNode signed = (ObjectNode) LeadCaptureEvents.JSON.readTree(FormToolEvents.of(source).toJson());
            return new FormToolEvents.Event(source, new LeadCaptureEvents.Event(signed)).keepSignature()
                    .email("mallory@example.com");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static WebhookAnswer post(String event) {
        return WebhookAnswer.from(LeadCaptureEvents.postRaw(event));
    }

    private static Arguments refused(String source, String name, Supplier<FormToolEvents.Event> event, int status,
            String code, String field) {
        return Arguments.of(source, name, event, status, code, field);
    }
}
