package dev.contactfunctions.leadcapture;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.testsupport.WebhookAnswer;
import dev.contactfunctions.webhook.FormToolSignatures;
import io.restassured.response.Response;

/**
 * The committed form-tool events of {@code infra/events} ({@code lead-capture-typeform.json}, {@code -tally},
 * {@code -webflow}: each vendor's documented sample payload in an API Gateway event), given a fresh response id and
 * re-signed as the vendor signs, with the test's time and the local default secret.
 */
public final class FormToolEvents {

    /** The form tools, by the last segment of their route. */
    public static final List<String> SOURCES = List.of("typeform", "tally", "webflow");

    private FormToolEvents() {
    }

    /** The committed event of {@code source}, with a response id no other test uses. */
    public static Event of(String source) {
        Event event = new Event(source, LeadCaptureEvents.load(Path.of("infra/events/lead-capture-" + source + ".json"))
                .idempotencyKey(null));
        return event.responseId(source + "-test-" + UUID.randomUUID().toString().substring(0, 13));
    }

    /**
     * The delivery id lead capture gives a form tool's response: what {@code LeadCaptureInstances.ledgerKey} takes, as
     * for an Idempotency-Key.
     */
    public static String deliveryId(String source, String responseId) {
        return source + "-" + responseId;
    }

    /** The committed event of {@code source} for {@code email} under {@code responseId}, signed now. */
    public static String event(String source, String email, String responseId) {
        return of(source).email(email).responseId(responseId).toJson();
    }

    public static final class Event {
        private final String source;
        private final LeadCaptureEvents.Event event;
        private Instant signedAt = Instant.now();
        private String secret = LeadCaptureEvents.SECRET;
        private boolean sign = true;

        Event(String source, LeadCaptureEvents.Event event) {
            this.source = source;
            this.event = event.keepSignature();
        }

        public String source() {
            return source;
        }

        /** Edits the vendor's JSON body. */
        public Event json(Consumer<ObjectNode> edit) {
            event.json(edit);
            return this;
        }

        public Event body(String text) {
            event.body(text);
            return this;
        }

        /** The response's own id: Typeform's token, Tally's responseId, Webflow's submission id. */
        public Event responseId(String id) {
            return json(b -> {
                switch (source) {
                    case "typeform" -> ((ObjectNode) b.get("form_response")).put("token", id);
                    case "tally" -> ((ObjectNode) b.get("data")).put("responseId", id);
                    default -> ((ObjectNode) b.get("payload")).put("id", id);
                }
            });
        }

        /** The field the default mapping takes as the email (typed as one; Webflow's named email). */
        public Event email(String email) {
            return json(b -> emailNode(b).accept(email));
        }

        private static Consumer<String> emailOf(JsonNode list, String typeField, String type, String valueField) {
            for (JsonNode item : list) {
                if (type.equals(item.path(typeField).asText())) {
                    return email -> ((ObjectNode) item).put(valueField, email);
                }
            }
            throw new IllegalStateException("no " + type + " field");
        }

        private Consumer<String> emailNode(ObjectNode b) {
            return switch (source) {
                case "typeform" -> emailOf(b.path("form_response").path("answers"), "type", "email", "email");
                case "tally" -> emailOf(b.path("data").path("fields"), "type", "INPUT_EMAIL", "value");
                default -> email -> ((ObjectNode) b.path("payload").path("data")).put("email", email);
            };
        }

        /** The field the default mapping takes as {@code utm_source}: a hidden field, or a Webflow input. */
        public Event utmSource(String value) {
            return json(b -> {
                switch (source) {
                    case "typeform" -> ((ObjectNode) b.path("form_response").path("hidden")).put("utm_source", value);
                    case "tally" -> b.path("data").path("fields").forEach(f -> {
                        if ("utm_source".equals(f.path("label").asText())) {
                            ((ObjectNode) f).put("value", value);
                        }
                    });
                    default -> ((ObjectNode) b.path("payload").path("data")).put("utm_source", value);
                }
            });
        }

        /** The vendor's event type (Typeform's event_type, Tally's eventType, Webflow's triggerType). */
        public Event eventType(String type) {
            String field = switch (source) {
                case "typeform" -> "event_type";
                case "tally" -> "eventType";
                default -> "triggerType";
            };
            return json(b -> b.put(field, type));
        }

        public Event header(String name, String value) {
            event.header(name, value);
            return this;
        }

        public Event query(String name, String value) {
            ((ObjectNode) event.root()).putObject("queryStringParameters").put(name, value);
            event.root().put("rawQueryString", name + "=" + value);
            return this;
        }

        public Event signedAt(Instant instant) {
            this.signedAt = instant;
            return this;
        }

        public Event signedWith(String otherSecret) {
            this.secret = otherSecret;
            return this;
        }

        /** Posts the event without any signature header (a Webflow site webhook, or a forged delivery). */
        public Event unsigned() {
            for (String header : List.of("typeform-signature", "tally-signature", "x-webflow-signature",
                    "x-webflow-timestamp")) {
                event.header(header, null);
            }
            return keepSignature();
        }

        /** Posts the event with whatever signature headers it carries (or none). */
        public Event keepSignature() {
            this.sign = false;
            return this;
        }

        public ObjectNode root() {
            return event.root();
        }

        byte[] rawBody() {
            return event.rawBody();
        }

        public String toJson() {
            if (sign) {
                byte[] body = event.rawBody();
                switch (source) {
                    case "typeform" ->
                        event.header("typeform-signature", FormToolSignatures.signTypeform(secret, body));
                    case "tally" -> event.header("tally-signature", FormToolSignatures.signTally(secret, body));
                    default -> {
                        long millis = signedAt.toEpochMilli();
                        event.header("x-webflow-timestamp", Long.toString(millis));
                        event.header("x-webflow-signature", FormToolSignatures.signWebflow(secret, millis, body));
                    }
                }
            }
            return event.toJson();
        }

        /** Posts the event to the Lambda mock event server and unwraps the API Gateway answer. */
        public WebhookAnswer post() {
            Response response = given().contentType("application/json").body(toJson()).post();
            if (response.statusCode() != 200) {
                throw new AssertionError("the mock event server answered " + response.statusCode() + ": "
                        + response.asString());
            }
            try {
                return WebhookAnswer.from(LeadCaptureEvents.JSON.readTree(response.asString()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
