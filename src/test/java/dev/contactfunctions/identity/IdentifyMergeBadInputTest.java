package dev.contactfunctions.identity;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.contactfunctions.identity.LambdaEvents.IDENTIFY;
import static dev.contactfunctions.identity.LambdaEvents.NOTIFICATION;
import static dev.contactfunctions.identity.LambdaEvents.body;
import static dev.contactfunctions.identity.LambdaEvents.event;
import static dev.contactfunctions.identity.LambdaEvents.headers;
import static dev.contactfunctions.identity.LambdaEvents.hubSigned;
import static dev.contactfunctions.identity.LambdaEvents.identify;
import static dev.contactfunctions.identity.LambdaEvents.notification;
import static dev.contactfunctions.identity.LambdaEvents.signedNow;
import static dev.contactfunctions.identity.LambdaEvents.withBody;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.http.RequestMethod;

import dev.contactfunctions.testsupport.WebhookAnswer;
import dev.contactfunctions.webhook.HubSignatureVerifier;
import dev.contactfunctions.webhook.SignatureVerifier;
import dev.contactfunctions.testsupport.IntercomWireMock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Every kind of bad input gets its precise status, error code and field, and nothing is written to Intercom. */
@QuarkusTest
@TestProfile(IdentifyMergeProfile.class)
@WithTestResource(IntercomWireMock.class)
class IdentifyMergeBadInputTest extends IdentifyMergeOverWireMock {

    @BeforeEach
    void workspace() {
        intercom.stubFor(get(urlPathEqualTo("/data_attributes")).withQueryParam("model", equalTo("contact"))
                .willReturn(okJson(IntercomJson.dataAttributes(Map.of("plan", "string", "seats", "integer"))
                        .toString())));
    }

    record Case(String name, Supplier<ObjectNode> event, int status, String code, String field, boolean readsSchema) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> badInput() {
        return badInput(Clock.systemUTC());
    }

    /** The corpus, its notifications dated on the clock of the functions under test (else they are stale). */
    static Stream<Case> badInput(Clock clock) {
        return Stream.of(
                identifyCase("missing external_id", b -> b.remove("external_id"), 400, "missing_field", "external_id"),
                identifyCase("null external_id", b -> b.putNull("external_id"), 400, "missing_field", "external_id"),
                identifyCase("numeric external_id", b -> b.put("external_id", 1001), 400, "invalid_type", "external_id"),
                identifyCase("blank external_id", b -> b.put("external_id", "  "), 400, "invalid_field", "external_id"),
                identifyCase("padded external_id", b -> b.put("external_id", " user-1001"), 400, "invalid_field",
                        "external_id"),
                identifyCase("email without domain", b -> b.put("email", "ada@"), 400, "invalid_email", "email"),
                identifyCase("name over 255 characters", b -> b.put("name", "A".repeat(256)), 400, "field_too_long",
                        "name"),
                identifyCase("email as a number", b -> b.put("email", 42), 400, "invalid_type", "email"),
                identifyCase("name as an object", b -> b.putObject("name"), 400, "invalid_type", "name"),
                identifyCase("signed_up_at as a string", b -> b.put("signed_up_at", "1773147600"), 400, "invalid_type",
                        "signed_up_at"),
                identifyCase("signed_up_at with a fraction", b -> b.put("signed_up_at", 1773147600.5), 400,
                        "invalid_type", "signed_up_at"),
                identifyCase("signed_up_at in milliseconds", b -> b.put("signed_up_at", 1773147600000L), 400,
                        "invalid_field", "signed_up_at"),
                identifyCase("negative signed_up_at", b -> b.put("signed_up_at", -1), 400, "invalid_field",
                        "signed_up_at"),
                identifyCase("custom_attributes as a list", b -> b.putArray("custom_attributes").add("pro"), 400,
                        "invalid_type", "custom_attributes"),
                identifyCase("nested custom attribute", b -> ((ObjectNode) b.get("custom_attributes"))
                        .putObject("plan").put("tier", "pro"), 400, "invalid_type", "custom_attributes.plan"),
                identifyCase("null custom attribute", b -> ((ObjectNode) b.get("custom_attributes")).putNull("plan"),
                        400, "invalid_type", "custom_attributes.plan"),
                identifyCase("lead_id as a number", b -> b.put("lead_id", 42), 400, "invalid_type", "lead_id"),
                identifyCase("unknown field", b -> b.put("user_id", "user-1001"), 400, "unknown_field", "user_id"),
                new Case("body not JSON", () -> identify("{\"external_id\": \"user-1001\""), 400, "malformed_body",
                        null, false),
                new Case("body a JSON list", () -> identify("[{\"external_id\":\"user-1001\"}]"), 400,
                        "malformed_body", null, false),
                new Case("empty body", () -> identify(""), 400, "malformed_body", null, false),
                new Case("form body", () -> {
                    ObjectNode event = identify("external_id=user-1001");
                    headers(event).put("content-type", "application/x-www-form-urlencoded");
                    return event;
                }, 415, "unsupported_media_type", null, false),
                new Case("no content type", () -> {
                    ObjectNode event = identify(body(IDENTIFY));
                    headers(event).remove("content-type");
                    return event;
                }, 415, "unsupported_media_type", null, false),
                new Case("body over 64 KiB", () -> identify("{\"external_id\":\"" + "x".repeat(70_000) + "\"}"), 413,
                        "body_too_large", null, false),
                new Case("base64 flag on a body that is not base64", () -> {
                    ObjectNode event = identify(body(IDENTIFY));
                    event.put("isBase64Encoded", true);
                    event.put("body", "not base64 at all!");
                    return event;
                }, 400, "malformed_body", null, false),
                new Case("missing signature", () -> {
                    ObjectNode event = identify(body(IDENTIFY));
                    headers(event).remove("x-signature");
                    return event;
                }, 401, "missing_signature", null, false),
                new Case("body changed after signing", () -> {
                    ObjectNode event = identify(body(IDENTIFY));
                    event.put("body", event.get("body").asText().replace("user-1001", "user-1002"));
                    return event;
                }, 401, "invalid_signature", null, false),
                new Case("stale signature (the committed event, signed in March)", () -> event(IDENTIFY), 401,
                        "stale_signature", null, false),
                new Case("signature header without t=", () -> {
                    ObjectNode event = identify(body(IDENTIFY));
                    headers(event).put("x-signature", "v1=abcdef");
                    return event;
                }, 401, "malformed_signature", null, false),
                new Case("signed with another secret", () -> {
                    ObjectNode event = withBody(event(IDENTIFY), body(IDENTIFY));
                    headers(event).put("x-signature", SignatureVerifier.sign("not-our-secret", Instant.now(),
                            event.get("body").asText().getBytes(StandardCharsets.UTF_8)));
                    return event;
                }, 401, "invalid_signature", null, false),
                new Case("signed with the lead route's key", () -> {
                    ObjectNode event = withBody(event(IDENTIFY), body(IDENTIFY));
                    headers(event).put("x-signature", SignatureVerifier.sign(LambdaEvents.LEAD_SIGNING_SECRET,
                            Instant.now(), event.get("body").asText().getBytes(StandardCharsets.UTF_8)));
                    return event;
                }, 401, "invalid_signature", null, false),
                new Case("signature timestamp beyond any clock", () -> {
                    ObjectNode event = identify(body(IDENTIFY));
                    headers(event).put("x-signature", "t=99999999999999999,v1=00");
                    return event;
                }, 401, "stale_signature", null, false),
                new Case("custom attribute beyond any number", () -> identify(body(IDENTIFY).toString()
                        .replace("\"plan\":\"enterprise\"", "\"plan\":1e999")), 400, "invalid_type",
                        "custom_attributes.plan", false),
                identifyCase("email with characters no mail server takes", b -> b.put("email", "<script>@example.com"),
                        400, "invalid_email", "email"),
                new Case("custom attribute missing from the workspace", () -> {
                    ObjectNode body = body(IDENTIFY);
                    ((ObjectNode) body.get("custom_attributes")).put("favourite_colour", "blue");
                    return identify(body);
                }, 422, "unknown_custom_attribute", "custom_attributes.favourite_colour", true),
                new Case("custom attribute of the wrong type", () -> {
                    ObjectNode body = body(IDENTIFY);
                    ((ObjectNode) body.get("custom_attributes")).put("seats", "twelve");
                    return identify(body);
                }, 422, "custom_attribute_type_mismatch", "custom_attributes.seats", true),

                new Case("notification without X-Hub-Signature", () -> {
                    ObjectNode event = event(NOTIFICATION);
                    headers(event).remove("x-hub-signature");
                    return event;
                }, 401, "missing_signature", null, false),
                new Case("notification changed after signing", () -> {
                    ObjectNode event = event(NOTIFICATION);
                    event.put("body", event.get("body").asText().replace("contact.user.created", "contact.user.updated"));
                    return event;
                }, 401, "invalid_signature", null, false),
                new Case("notification signature without sha1=", () -> {
                    ObjectNode event = event(NOTIFICATION);
                    headers(event).put("x-hub-signature", headers(event).get("x-hub-signature").asText().substring(5));
                    return event;
                }, 401, "malformed_signature", null, false),
                new Case("notification signed with our webhook secret", () -> {
                    ObjectNode event = event(NOTIFICATION);
                    headers(event).put("x-hub-signature", HubSignatureVerifier.sign(LambdaEvents.SIGNING_SECRET,
                            event.get("body").asText().getBytes(StandardCharsets.UTF_8)));
                    return event;
                }, 401, "invalid_signature", null, false),
                notificationCase(clock, "notification of another type", b -> b.put("type", "event"), 400, "invalid_field",
                        "type"),
                notificationCase(clock, "notification without id", b -> b.remove("id"), 400, "missing_field", "id"),
                notificationCase(clock, "notification without topic", b -> b.remove("topic"), 400, "missing_field", "topic"),
                notificationCase(clock, "notification without created_at", b -> b.remove("created_at"), 400, "missing_field",
                        "created_at"),
                notificationCase(clock, "notification whose created_at is a date string",
                        b -> b.put("created_at", "2026-03-10T13:00:01Z"), 400, "invalid_type", "created_at"),
                notificationCase(clock, "user created whose item is not a contact",
                        b -> ((ObjectNode) b.at("/data/item")).put("type", "company"), 400, "invalid_field",
                        "data.item"),
                notificationCase(clock, "user created whose contact has no id",
                        b -> ((ObjectNode) b.at("/data/item")).remove("id"), 400, "missing_field", "data.item.id"),
                new Case("notification body not JSON", () -> notification("{\"type\":"), 400, "malformed_body", null,
                        false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void isRefusedPreciselyAndWritesNothing(Case bad) {
        WebhookAnswer answer = LambdaEvents.invoke(bad.event().get());

        assertThat(answer.status()).isEqualTo(bad.status());
        assertThat(answer.errorCode()).isEqualTo(bad.code());
        assertThat(answer.errorField()).isEqualTo(bad.field());
        assertThat(answer.body().at("/error/message").asText()).isNotBlank();
        assertThat(intercom.getAllServeEvents())
                .as("requests to Intercom")
                .allSatisfy(e -> assertThat(e.getRequest().getMethod()).isEqualTo(RequestMethod.GET))
                .hasSize(bad.readsSchema() ? 1 : 0);
    }

    private static Case identifyCase(String name, Consumer<ObjectNode> change, int status, String code,
            String field) {
        return new Case(name, () -> {
            ObjectNode body = body(IDENTIFY);
            change.accept(body);
            return signedNow(withBody(event(IDENTIFY), body));
        }, status, code, field, false);
    }

    private static Case notificationCase(Clock clock, String name, Consumer<ObjectNode> change, int status, String code,
            String field) {
        return new Case(name, () -> {
            ObjectNode body = body(NOTIFICATION).put("created_at", clock.instant().getEpochSecond());
            change.accept(body);
            return hubSigned(withBody(event(NOTIFICATION), body));
        }, status, code, field, false);
    }
}
