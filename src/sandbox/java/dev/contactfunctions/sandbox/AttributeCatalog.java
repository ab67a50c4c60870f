package dev.contactfunctions.sandbox;

import static dev.contactfunctions.sandbox.RequestBodies.blank;
import static dev.contactfunctions.sandbox.RequestBodies.requireObject;
import static dev.contactfunctions.sandbox.RequestBodies.text;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The workspace's data attributes: Intercom's standard contact attributes, then the custom ones as they are
 * created, with Intercom's rules for names and types; and the check of a write's custom attributes against them.
 * Not thread-safe: guarded by the {@link Workspace} lock.
 */
final class AttributeCatalog {

    private static final Set<String> DATA_TYPES = Set.of("string", "integer", "float", "boolean", "datetime", "date",
            "options");
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[\\p{L}\\p{N}\\p{Sc} _-]+");

    private final Supplier<Instant> time;
    private final List<AttributeDef> attributes = new ArrayList<>(StandardAttributes.CONTACT);
    private long nextAttributeId = 15_000;

    AttributeCatalog(Supplier<Instant> time) {
        this.time = time;
    }

    ObjectNode list(String model) {
        if (model != null && !AttributeDef.CONTACT.equals(model) && !AttributeDef.COMPANY.equals(model)) {
            throw ApiError.invalid("The Data Attribute model field must be either contact or company");
        }
        return Views.list("list", "data", attributes.stream().filter(a -> model == null || model.equals(a.model()))
                .map(a -> Views.attribute(a, Workspace.ADMIN_ID)).toList());
    }

    ObjectNode create(JsonNode body) {
        requireObject(body);
        String name = text(body, "name");
        String model = text(body, "model");
        String dataType = text(body, "data_type");
        if (blank(name)) {
            throw ApiError.invalid("name is required");
        }
        if (!AttributeDef.CONTACT.equals(model) && !AttributeDef.COMPANY.equals(model)) {
            throw ApiError.invalid("The Data Attribute model field must be either contact or company");
        }
        if (dataType == null || !DATA_TYPES.contains(dataType)) {
            throw ApiError.invalid("Data Type isn't an option");
        }
        if (!ATTRIBUTE_NAME.matcher(name).matches()) {
            throw ApiError.invalid(
                    "Your name for this attribute must only contain alphanumeric characters, currency symbols, and hyphens");
        }
        List<String> options = null;
        if (dataType.equals("options")) {
            JsonNode list = body.get("options");
            if (list == null || !list.isArray() || list.size() < 2) {
                throw ApiError.invalid("At least two options are required");
            }
            options = new ArrayList<>();
            for (JsonNode option : list) {
                if (!option.path("value").isTextual()) {
                    throw ApiError.invalid("Each option needs a string value");
                }
                options.add(option.get("value").asText());
            }
        }
        for (AttributeDef existing : attributes) {
            if (existing.name().equalsIgnoreCase(name)) {
                throw ApiError.invalid("You already have '" + existing.name() + "' in your " + dataNoun(existing.model())
                        + " data. To save this as new " + dataNoun(model) + " data, use a different name.");
            }
        }
        String storedType = switch (dataType) {
            case "options" -> "string";
            case "datetime" -> "date";
            default -> dataType;
        };
        AttributeDef created = new AttributeDef(nextAttributeId++, model, name, name, text(body, "description"),
                storedType, options, true, true, time.get().getEpochSecond());
        attributes.add(created);
        return Views.attribute(created, Workspace.ADMIN_ID);
    }

    private static String dataNoun(String model) {
        return AttributeDef.CONTACT.equals(model) ? "people" : "company";
    }

    Optional<AttributeDef> customAttribute(String name) {
        return attributes.stream()
                .filter(a -> a.custom() && AttributeDef.CONTACT.equals(a.model()) && a.name().equals(name))
                .findFirst();
    }

    List<AttributeDef> all() {
        return List.copyOf(attributes);
    }

    /** The custom attributes of a write, each checked to exist and to have the attribute's type. */
    Map<String, Object> customAttributes(JsonNode body) {
        JsonNode node = body.get("custom_attributes");
        Map<String, Object> result = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return result;
        }
        if (!node.isObject()) {
            throw ApiError.invalid("custom_attributes must be an object");
        }
        var fields = node.fields();
        while (fields.hasNext()) {
            var entry = fields.next();
            AttributeDef def = customAttribute(entry.getKey())
                    .orElseThrow(() -> ApiError.unknownCustomAttribute(entry.getKey()));
            Object value = Json.scalar(entry.getValue());
            if (value == null && !entry.getValue().isNull()) {
                throw ApiError.invalid("Custom attribute '" + def.name() + "' takes a single value");
            }
            if (value != null && !fitsType(def, value)) {
                throw ApiError.invalid("Custom attribute '" + def.name() + "' must be of type " + def.dataType());
            }
            result.put(def.name(), value);
        }
        return result;
    }

    private static boolean fitsType(AttributeDef def, Object value) {
        return switch (def.dataType()) {
            case "integer", "date" -> value instanceof Long;
            case "float" -> value instanceof Number;
            case "boolean" -> value instanceof Boolean;
            default -> value instanceof String;
        };
    }

    /** Intercom's standard contact data attributes (the custom ones follow them in listings). */
    static final class StandardAttributes {
        static final List<AttributeDef> CONTACT = List.of(
                standard("id", "ID", "string", false), standard("role", "Role", "string", true),
                standard("external_id", "User ID", "string", true), standard("name", "Name", "string", true),
                standard("email", "Email", "string", true), standard("email_domain", "Email domain", "string", false),
                standard("phone", "Phone", "string", true), standard("owner_id", "Owner", "integer", true),
                standard("created_at", "Created at", "date", false),
                standard("updated_at", "Updated at", "date", false),
                standard("signed_up_at", "Signed up", "date", true),
                standard("last_seen_at", "Last seen", "date", true),
                standard("unsubscribed_from_emails", "Unsubscribed from emails", "boolean", true),
                standard("has_hard_bounced", "Has hard bounced", "boolean", false),
                standard("marked_email_as_spam", "Marked email as spam", "boolean", false),
                standard("location.country", "Country", "string", false),
                standard("location.region", "Region", "string", false),
                standard("location.city", "City", "string", false));

        private static AttributeDef standard(String name, String label, String type, boolean writable) {
            return new AttributeDef(null, AttributeDef.CONTACT, name, label, label, type, null, false, writable, 0);
        }

        private StandardAttributes() {
        }
    }
}
