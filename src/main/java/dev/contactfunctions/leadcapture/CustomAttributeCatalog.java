package dev.contactfunctions.leadcapture;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.contactfunctions.intercom.IntercomClient;
import dev.contactfunctions.intercom.IntercomException;
import dev.contactfunctions.intercom.model.DataAttribute;
import dev.contactfunctions.intercom.model.DataType;
import dev.contactfunctions.webhook.WebhookException;

/**
 * The workspace's contact data attributes, listed once per warm instance, and the bootstrap that makes custom
 * attributes exist before a contact write names them (Intercom refuses a write naming an unknown attribute).
 */
@ApplicationScoped
public class CustomAttributeCatalog {

    private final IntercomClient intercom;
    private final LeadCaptureConfig config;
    private Map<String, DataAttribute> byName;

    CustomAttributeCatalog(IntercomClient intercom, LeadCaptureConfig config) {
        this.intercom = intercom;
        this.config = config;
    }

    /**
     * The values to write, each converted to its attribute's data type, after creating the attributes that do not
     * exist yet. Refuses (before any contact write) a value that does not fit its attribute's type (400), a name
     * that is a standard attribute (400), and missing attributes when creation is switched off (422).
     */
    public synchronized Map<String, Object> prepare(Map<String, Object> values) {
        Map<String, DataAttribute> known = attributes();
        Map<String, Object> prepared = new LinkedHashMap<>();
        Map<String, DataType> missing = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            String name = entry.getKey();
            DataAttribute attribute = known.get(name);
            if (attribute == null) {
                missing.put(name, DataType.of(entry.getValue()));
                prepared.put(name, entry.getValue());
            } else if (!attribute.isCustom()) {
                throw new WebhookException(400, "reserved_attribute",
                        "'" + name + "' is a standard Intercom attribute, not a custom one", field(name));
            } else {
                prepared.put(name, convert(entry.getValue(), attribute.dataType(), name));
            }
        }
        if (!missing.isEmpty() && !config.createMissingAttributes()) {
            throw new WebhookException(422, "missing_attributes", "These custom attributes do not exist in the "
                    + "Intercom workspace and creating them is switched off (lead-capture.create-missing-attributes): "
                    + String.join(", ", missing.keySet()), field(missing.keySet().iterator().next()));
        }
        missing.forEach(this::create);
        return prepared;
    }

    /** Forgets the cached list, after Intercom said an attribute we believed in does not exist. */
    public synchronized void invalidate() {
        byName = null;
    }

    private Map<String, DataAttribute> attributes() {
        if (byName == null) {
            Map<String, DataAttribute> loaded = new LinkedHashMap<>();
            for (DataAttribute attribute : intercom.listContactDataAttributes()) {
                if (attribute.name() != null && !Boolean.TRUE.equals(attribute.archived())) {
                    loaded.putIfAbsent(attribute.name(), attribute);
                }
            }
            byName = loaded;
        }
        return byName;
    }

    private void create(String name, DataType type) {
        DataAttribute created;
        try {
            created = intercom.createContactDataAttribute(name, type, "Created by lead-capture");
        } catch (IntercomException.InvalidRequest e) {
            String message = String.valueOf(e.getMessage());
            if (!message.startsWith("You already have")) {
                throw new WebhookException(422, "attribute_not_creatable",
                        "Intercom refused to create the custom attribute '" + name + "': " + message, field(name));
            }
            if (message.toLowerCase(Locale.ROOT).contains("company data")) {
                throw new WebhookException(422, "attribute_name_taken", "'" + name
                        + "' is already a company attribute in Intercom; send it under another name", field(name));
            }
            // Created meanwhile by another instance: it exists now, with whatever type it was given.
            created = null;
        }
        if (created == null || created.name() == null) {
            created = new DataAttribute(null, "contact", name, "custom_attributes." + name, name, null,
                    type.wireName(), null, true, true, false);
        }
        byName.put(name, created);
    }

    /** A value in the form its attribute's data type takes; forms send every value as text. */
    static Object convert(Object value, String dataType, String name) {
        String type = dataType == null ? "" : dataType.toLowerCase(Locale.ROOT);
        String text = String.valueOf(value).trim();
        try {
            switch (type) {
                case "string":
                    return value instanceof Double d ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString() : text;
                case "integer":
                    if (value instanceof Long) {
                        return value;
                    }
                    return new BigDecimal(text).longValueExact();
                case "float":
                    double number = value instanceof Number n ? n.doubleValue() : Double.parseDouble(text);
                    if (!Double.isFinite(number)) { // "NaN", "Infinity", "1e999": no number Intercom stores
                        throw new NumberFormatException();
                    }
                    return number;
                case "boolean":
                    if (value instanceof Boolean) {
                        return value;
                    }
                    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                        return Boolean.parseBoolean(text);
                    }
                    throw new NumberFormatException();
                case "date":
                case "datetime":
                    return value instanceof Long ? value : epochSeconds(text);
                default:
                    return value;
            }
        } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
            throw new WebhookException(400, "invalid_type", field(name) + " must be "
                    + describe(type) + " (the Intercom attribute's type is " + type + ")", field(name));
        }
    }

    private static long epochSeconds(String text) {
        if (text.matches("-?\\d+")) {
            return Long.parseLong(text);
        }
        if (text.length() == 10) {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        }
        return Instant.parse(text).getEpochSecond();
    }

    private static String describe(String type) {
        return switch (type) {
            case "integer" -> "a whole number";
            case "float" -> "a number";
            case "boolean" -> "true or false";
            case "date", "datetime" -> "a date (Unix seconds, YYYY-MM-DD or an ISO-8601 instant)";
            default -> "a " + type;
        };
    }

    /** The request field a value came from: attribution fields are top-level, the rest custom_attributes.x. */
    static String field(String name) {
        if (LeadSubmission.isAttributionAttribute(name)) {
            return name.startsWith(LeadSubmission.FIRST_TOUCH_PREFIX)
                    ? name.substring(LeadSubmission.FIRST_TOUCH_PREFIX.length())
                    : name;
        }
        return "custom_attributes." + name;
    }
}
