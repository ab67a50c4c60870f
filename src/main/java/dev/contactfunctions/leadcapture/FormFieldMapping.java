package dev.contactfunctions.leadcapture;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.webhook.WebhookException;

/**
 * From a form tool's fields to the lead: per source, {@code lead-capture.<source>-fields} lists
 * {@code <lead field>=<form field>} pairs (the lead field one of {@code email}, {@code name}, {@code phone}, the seven
 * attribution fields, {@code custom_attributes.<name>}, {@code tags}; the form field a Typeform ref, a Tally key or
 * label, a Webflow field name). What a pair does not name takes the default: the email is the field typed as an email,
 * the phone the field typed as a phone number, the name a field named {@code name}, and each attribution field the
 * field of its name ({@code utm_source}, ... : Typeform's and Tally's hidden fields). Every other field is left out.
 *
 * <p>The lead is then validated as a {@code /webhooks/leads} body is ({@link LeadSubmission}), and a refusal names the
 * form's field. Values reach Intercom as on that route: custom attributes converted to the workspace attribute's type.
 */
@ApplicationScoped
@Startup // a mapping that names no lead field stops the function at start, not at its first delivery
class FormFieldMapping {

    private static final Set<String> EMAIL_TYPES = Set.of("email", "INPUT_EMAIL", "FormEmail");
    private static final Set<String> PHONE_TYPES = Set.of("phone_number", "INPUT_PHONE_NUMBER", "FormPhone");
    private static final String CUSTOM = "custom_attributes.";

    private final Map<FormSource, Map<String, String>> explicit = new EnumMap<>(FormSource.class);

    FormFieldMapping(LeadCaptureConfig config) {
        explicit.put(FormSource.TYPEFORM, parse(FormSource.TYPEFORM, config.typeformFields()));
        explicit.put(FormSource.TALLY, parse(FormSource.TALLY, config.tallyFields()));
        explicit.put(FormSource.WEBFLOW, parse(FormSource.WEBFLOW, config.webflowFields()));
    }

    /** The lead a submission makes; a 400 naming the form's field when it makes none. Writes nothing. */
    LeadSubmission lead(FormSource source, FormToolPayload payload) {
        Map<String, String> pairs = explicit.get(source);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        Map<String, String> origins = new LinkedHashMap<>(); // lead field -> the form field's path, for messages
        FormToolPayload.Field email = pick(source, payload, pairs, "email",
                f -> EMAIL_TYPES.contains(f.type()) || f.names().stream().anyMatch("email"::equalsIgnoreCase))
                .orElseThrow(() -> new WebhookException(400, "missing_field", "No field of this submission is the"
                        + " email: none is typed as one (" + source.emailField() + ") and none is mapped to email in "
                        + source.mappingSetting(), "email"));
        put(body, origins, "email", email);
        pick(source, payload, pairs, "phone", f -> PHONE_TYPES.contains(f.type())
                || f.names().stream().anyMatch("phone"::equalsIgnoreCase))
                .ifPresent(f -> put(body, origins, "phone", f));
        pick(source, payload, pairs, "name", f -> f.names().stream().anyMatch("name"::equalsIgnoreCase))
                .ifPresent(f -> put(body, origins, "name", f));
        for (String attribution : LeadSubmission.ATTRIBUTION_FIELDS) {
            pick(source, payload, pairs, attribution, f -> f.names().contains(attribution))
                    .ifPresent(f -> put(body, origins, attribution, f));
        }
        pairs.forEach((target, formField) -> {
            if (target.startsWith(CUSTOM) || target.equals("tags")) {
                find(payload, formField).ifPresent(f -> put(body, origins, target, f));
            }
        });
        try {
            return LeadSubmission.from(body, false);
        } catch (WebhookException refused) {
            String origin = refused.field() == null ? null : origins.get(refused.field());
            if (origin == null) {
                throw refused;
            }
            throw new WebhookException(refused.status(), refused.code(), refused.getMessage() + " (from " + origin
                    + ")", origin);
        }
    }

    /** The mapped field (which must be there when the mapping names it), else the first default one. */
    private static Optional<FormToolPayload.Field> pick(FormSource source, FormToolPayload payload,
            Map<String, String> pairs, String target, Predicate<FormToolPayload.Field> byDefault) {
        String mapped = pairs.get(target);
        if (mapped == null) {
            return payload.fields().stream().filter(byDefault).filter(f -> given(f.value())).findFirst();
        }
        Optional<FormToolPayload.Field> field = find(payload, mapped);
        if (target.equals("email") && field.isEmpty()) {
            throw new WebhookException(400, "missing_field", "email is mapped to '" + mapped + "' ("
                    + source.mappingSetting() + "), which this submission does not have", mapped);
        }
        return field;
    }

    private static Optional<FormToolPayload.Field> find(FormToolPayload payload, String name) {
        return payload.fields().stream().filter(f -> f.names().contains(name)).filter(f -> given(f.value()))
                .findFirst();
    }

    private static boolean given(JsonNode value) {
        return value != null && !value.isMissingNode() && !value.isNull()
                && !(value.isTextual() && value.textValue().isBlank()) && !(value.isArray() && value.isEmpty());
    }

    /** The value as the lead field takes it: text (a list joined), a custom attribute's scalar, or tag names. */
    private static void put(ObjectNode body, Map<String, String> origins, String target, FormToolPayload.Field field) {
        JsonNode value = field.value();
        if (value.isObject() || (value.isArray() && !value.elements().next().isValueNode())) {
            throw new WebhookException(400, "invalid_type", field.path() + " is not a value a lead field can take",
                    field.path());
        }
        if (target.equals("tags")) {
            ArrayNode tags = body.putArray("tags");
            (value.isArray() ? value : JsonNodeFactory.instance.arrayNode().add(value.asText()))
                    .forEach(tag -> tags.add(tag.asText()));
            origins.put("tags", field.path());
        } else if (target.startsWith(CUSTOM)) {
            String name = target.substring(CUSTOM.length());
            ObjectNode custom = body.has("custom_attributes") ? (ObjectNode) body.get("custom_attributes")
                    : body.putObject("custom_attributes");
            custom.set(name, value.isArray() ? JsonNodeFactory.instance.textNode(joined(value)) : value);
            origins.put(target, field.path());
        } else {
            body.put(target, value.isArray() ? joined(value) : value.asText());
            origins.put(target, field.path());
        }
    }

    private static String joined(JsonNode list) {
        List<String> items = new ArrayList<>();
        list.forEach(item -> items.add(item.asText()));
        return String.join(", ", items);
    }

    /** {@code target=form field} pairs; a target that is not a lead field stops the function from starting. */
    private static Map<String, String> parse(FormSource source, Optional<List<String>> setting) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String entry : setting.orElse(List.of())) {
            int eq = entry.indexOf('=');
            String target = eq < 0 ? entry.trim() : entry.substring(0, eq).trim();
            String formField = eq < 0 ? "" : entry.substring(eq + 1).trim();
            boolean known = Set.of("email", "name", "phone", "tags").contains(target)
                    || LeadSubmission.ATTRIBUTION_FIELDS.contains(target)
                    || (target.startsWith(CUSTOM) && target.length() > CUSTOM.length());
            if (!known || formField.isEmpty()) {
                throw new IllegalArgumentException(source.mappingSetting() + ": '" + entry + "' is not <lead field>="
                        + "<form field> with a lead field of email, name, phone, tags, "
                        + String.join(", ", LeadSubmission.ATTRIBUTION_FIELDS) + " or custom_attributes.<name>");
            }
            pairs.put(target, formField);
        }
        return Map.copyOf(pairs);
    }
}
