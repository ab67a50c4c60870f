package dev.contactfunctions.leadcapture;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.contactfunctions.leadcapture.LeadCaptureEvents.Event;
import dev.contactfunctions.testsupport.IntercomStubs;
import dev.contactfunctions.testsupport.IntercomWireMock;
import dev.contactfunctions.testsupport.WebhookAnswer;
import dev.contactfunctions.webhook.SignatureVerifier;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Every refused delivery gets its precise status and error code, and Intercom receives no write at all. */
@QuarkusTest
@TestProfile(LeadCaptureProfile.class)
@WithTestResource(IntercomWireMock.class)
class LeadCaptureBadInputTest extends LeadCaptureOverWireMock {

    @BeforeEach
    void workspace() {
        IntercomStubs.stubWorkspace(wireMock);
    }

    /** Refused before the service runs: Intercom is not called at all. */
    static Stream<Arguments> refusedBeforeIntercom() {
        return Stream.of(
                refused("no signature", () -> LeadCaptureEvents.json().header("x-signature", null).keepSignature(),
                        401, "missing_signature", null),
                refused("signed with another secret", () -> LeadCaptureEvents.json().signedWith("not-the-secret"),
                        401, "invalid_signature", null),
                refused("signed six minutes ago", () -> LeadCaptureEvents.json()
                        .signedAt(Instant.now().minus(Duration.ofMinutes(6))), 401, "stale_signature", null),
                refused("signed ten minutes ahead", () -> LeadCaptureEvents.json()
                        .signedAt(Instant.now().plus(Duration.ofMinutes(10))), 401, "stale_signature", null),
                refused("signature timestamp beyond any clock", () -> LeadCaptureEvents.json()
                        .header("x-signature", "t=99999999999999999,v1=00").keepSignature(), 401, "stale_signature",
                        null),
                refused("signature timestamp before any clock", () -> LeadCaptureEvents.json()
                        .header("x-signature", "t=-99999999999999999,v1=00").keepSignature(), 401, "stale_signature",
                        null),
                refused("signature without timestamp", () -> LeadCaptureEvents.json()
                        .header("x-signature", "v1=00ff").keepSignature(), 401, "malformed_signature", null),
                refused("body changed after signing", LeadCaptureBadInputTest::tamperedBody, 401,
                        "invalid_signature", null),
                refused("the committed event's old signature", () -> LeadCaptureEvents.load(LeadCaptureEvents.JSON_EVENT)
                        .keepSignature(), 401, "stale_signature", null),
                refused("body over 64 KiB", () -> LeadCaptureEvents.json()
                        .body("{\"email\":\"a@example.com\",\"name\":\"" + "x".repeat(64 * 1024) + "\"}"),
                        413, "body_too_large", null),
                refused("text/plain body", () -> LeadCaptureEvents.json().contentType("text/plain"), 415,
                        "unsupported_media_type", null),
                refused("no content type", () -> LeadCaptureEvents.json().contentType(null), 415,
                        "unsupported_media_type", null),
                refused("not JSON", () -> LeadCaptureEvents.json().body("{\"email\": "), 400, "malformed_body", null),
                refused("a JSON array", () -> LeadCaptureEvents.json().body("[{\"email\":\"a@example.com\"}]"), 400,
                        "malformed_body", null),
                refused("base64 flag on a body that is not base64", () -> {
                    Event event = LeadCaptureEvents.form().keepSignature();
                    event.root().put("body", "%%% not base64");
                    return event;
                }, 400, "malformed_body", null),
                refused("no email", () -> LeadCaptureEvents.json().json(b -> b.remove("email")), 400,
                        "missing_field", "email"),
                refused("blank email", () -> LeadCaptureEvents.json().json(b -> b.put("email", "   ")), 400,
                        "missing_field", "email"),
                refused("invalid email", () -> LeadCaptureEvents.json().email("ada.lovelace.example.com"), 400,
                        "invalid_email", "email"),
                refused("email with markup", () -> LeadCaptureEvents.json().email("<script>@example.com"), 400,
                        "invalid_email", "email"),
                refused("email as a number", () -> LeadCaptureEvents.json().json(b -> b.put("email", 42)), 400,
                        "invalid_type", "email"),
                refused("email over 254 characters", () -> LeadCaptureEvents.json()
                        .email("a".repeat(250) + "@example.com"), 400, "field_too_long", "email"),
                refused("name over 255 characters", () -> LeadCaptureEvents.json()
                        .json(b -> b.put("name", "n".repeat(256))), 400, "field_too_long", "name"),
                refused("landing page over 255 characters", () -> LeadCaptureEvents.json()
                        .json(b -> b.put("landing_page", "https://www.example.com/" + "p".repeat(240))), 400,
                        "field_too_long", "landing_page"),
                refused("phone with letters", () -> LeadCaptureEvents.json().json(b -> b.put("phone", "call me")),
                        400, "invalid_phone", "phone"),
                refused("misspelt field", () -> LeadCaptureEvents.json().json(b -> b.put("utm_souce", "google")), 400,
                        "unknown_field", "utm_souce"),
                refused("utm_source as an object", () -> LeadCaptureEvents.json()
                        .json(b -> b.putObject("utm_source").put("a", 1)), 400, "invalid_type", "utm_source"),
                refused("custom_attributes as a list", () -> LeadCaptureEvents.json()
                        .json(b -> b.putArray("custom_attributes").add("plan")), 400, "invalid_type",
                        "custom_attributes"),
                refused("nested custom attribute", () -> LeadCaptureEvents.json()
                        .json(b -> ((com.fasterxml.jackson.databind.node.ObjectNode) b.get("custom_attributes"))
                                .putObject("plan").put("tier", "pro")),
                        400, "invalid_type", "custom_attributes.plan"),
                refused("attribute name with a dot", () -> LeadCaptureEvents.json()
                        .json(b -> ((com.fasterxml.jackson.databind.node.ObjectNode) b.get("custom_attributes"))
                                .put("plan.tier", "pro")),
                        400, "invalid_attribute_name", "custom_attributes.plan.tier"),
                refused("attribution sent as a custom attribute", () -> LeadCaptureEvents.json()
                        .json(b -> ((com.fasterxml.jackson.databind.node.ObjectNode) b.get("custom_attributes"))
                                .put("first_utm_source", "forged")),
                        400, "reserved_attribute", "custom_attributes.first_utm_source"),
                refused("tags as a string in JSON", () -> LeadCaptureEvents.json().json(b -> b.put("tags", "a,b")),
                        400, "invalid_type", "tags"),
                refused("a tag that is a number", () -> LeadCaptureEvents.json()
                        .json(b -> b.putArray("tags").add("ok").add(7)), 400, "invalid_type", "tags"),
                refused("21 tags", () -> LeadCaptureEvents.json().json(b -> {
                    var tags = b.putArray("tags");
                    for (int i = 0; i < 21; i++) {
                        tags.add("tag-" + i);
                    }
                }), 400, "too_many_tags", "tags"),
                refused("form with an invalid email", () -> LeadCaptureEvents.form().email("grace@"), 400,
                        "invalid_email", "email"),
                refused("form with custom_attributes as plain text", () -> LeadCaptureEvents.form()
                        .form(f -> f.put("custom_attributes", "gold")), 400, "invalid_type", "custom_attributes"),
                refused("form with an unknown field", () -> LeadCaptureEvents.form().form(f -> f.put("submit", "Send")),
                        400, "unknown_field", "submit"),
                refused("a custom attribute forms may not write", () -> LeadCaptureEvents.json()
                        .json(b -> ((com.fasterxml.jackson.databind.node.ObjectNode) b.get("custom_attributes"))
                                .put("plan", "free")), 422, "attribute_not_allowed", "custom_attributes.plan"),
                refused("a standard attribute as a custom one", () -> LeadCaptureEvents.json()
                        .json(b -> ((com.fasterxml.jackson.databind.node.ObjectNode) b.get("custom_attributes"))
                                .put("phone", "+1 555 0100")), 422, "attribute_not_allowed",
                        "custom_attributes.phone"),
                refused("a tag forms may not attach", () -> LeadCaptureEvents.form()
                        .form(f -> f.put("tags", "demo-request,vip")), 422, "tag_not_allowed", "tags"),
                refused("Idempotency-Key with spaces", () -> LeadCaptureEvents.json()
                        .idempotencyKey("two words"), 400, "invalid_idempotency_key", "Idempotency-Key"),
                refused("GET instead of POST", () -> {
                    Event event = LeadCaptureEvents.json();
                    ((com.fasterxml.jackson.databind.node.ObjectNode) event.root().path("requestContext").path("http"))
                            .put("method", "GET");
                    return event;
                }, 405, "method_not_allowed", null));
    }

    /** Refused by the service after reading the workspace's attributes: reads, but no write. */
    static Stream<Arguments> refusedAfterReadingTheWorkspace() {
        return Stream.of(
                refused("text for an integer attribute", () -> LeadCaptureEvents.json()
                        .json(b -> ((com.fasterxml.jackson.databind.node.ObjectNode) b.get("custom_attributes"))
                                .put("seats", "many")),
                        400, "invalid_type", "custom_attributes.seats"),
                refused("text for a boolean attribute", () -> LeadCaptureEvents.json()
                        .json(b -> ((com.fasterxml.jackson.databind.node.ObjectNode) b.get("custom_attributes"))
                                .put("newsletter_opt_in", "maybe")),
                        400, "invalid_type", "custom_attributes.newsletter_opt_in"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedBeforeIntercom")
    void refusedBeforeAnyIntercomCall(String name, Supplier<Event> event, int status, String code, String field) {
        WebhookAnswer answer = event.get().post();

        assertRefused(answer, status, code, field);
        assertThat(wireMock.getAllServeEvents()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedAfterReadingTheWorkspace")
    void refusedWithoutAnyWrite(String name, Supplier<Event> event, int status, String code, String field) {
        WebhookAnswer answer = event.get().post();

        assertRefused(answer, status, code, field);
        assertThat(IntercomStubs.writes(wireMock)).isEmpty();
    }

    private static void assertRefused(WebhookAnswer answer, int status, String code, String field) {
        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.headers()).containsEntry("Content-Type", "application/json");
        assertThat(answer.errorCode()).isEqualTo(code);
        assertThat(answer.body().path("error").path("message").asText()).isNotBlank();
        assertThat(answer.errorField()).isEqualTo(field);
    }

    private static Event tamperedBody() {
        Event event = LeadCaptureEvents.json();
        String signature = SignatureVerifier.sign(LeadCaptureEvents.SECRET, Instant.now(), event.rawBody());
        return event.json(b -> b.put("email", "mallory@example.com")).header("x-signature", signature)
                .keepSignature();
    }

    private static Arguments refused(String name, Supplier<Event> event, int status, String code, String field) {
        return Arguments.of(name, event, status, code, field);
    }
}
