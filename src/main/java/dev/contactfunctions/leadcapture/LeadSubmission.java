package dev.contactfunctions.leadcapture;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.identifiers.Emails;
import dev.contactfunctions.webhook.BodyFields;
import dev.contactfunctions.webhook.WebhookException;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A validated lead webhook body. Built from the JSON object that {@link dev.contactfunctions.webhook.RequestBodies}
 * reads out of a JSON or form body; anything that does not pass is refused with a 400 naming the field, before
 * Intercom is called.
 *
 * <p>Rules: {@code email} is required, trimmed and lower-cased. Unknown top-level fields are refused (a typo such as
 * {@code utm_souce} would otherwise lose attribution silently). {@code null} and empty values count as absent, so
 * they never overwrite anything. Text that becomes an Intercom text attribute is capped at 255 characters, Intercom's
 * own limit for text attributes.
 *
 * @param attribution the non-empty {@link #ATTRIBUTION_FIELDS}, in that order
 * @param customAttributes scalar values (String, Long, Double, Boolean) by attribute name, in the order sent
 * @param tags tag names, trimmed, without duplicates (case-insensitive)
 */
@RegisterForReflection // serialized by Jackson for the idempotency fingerprint, also in a native image
public record LeadSubmission(String email, String name, String phone, Map<String, String> attribution,
        Map<String, Object> customAttributes, List<String> tags) {

    /** Top-level fields written as custom attributes of the same name (Intercom's own utm_* are not API-writable). */
    public static final List<String> ATTRIBUTION_FIELDS = List.of("utm_source", "utm_medium", "utm_campaign",
            "utm_term", "utm_content", "landing_page", "referrer");
    /** First-touch copies of the attribution fields: written only while empty. */
    public static final String FIRST_TOUCH_PREFIX = "first_";

    static final int MAX_TEXT = 255;
    static final int MAX_PHONE = 40;
    static final int MAX_CUSTOM_ATTRIBUTES = 50;
    static final int MAX_ATTRIBUTE_NAME = 100;
    static final int MAX_TAGS = 20;
    static final int MAX_TAG_NAME = 100;

    private static final Set<String> KNOWN_FIELDS;
    private static final Pattern PHONE = Pattern.compile("^\\+?[0-9 ().\\-/]+$");
    // Letters, digits, spaces, underscores and hyphens; Intercom refuses '.', '$' and most punctuation in names.
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("^[\\p{L}\\p{N}_\\-]([\\p{L}\\p{N}_\\- ]*[\\p{L}\\p{N}_\\-])?$");

    static {
        Set<String> known = new LinkedHashSet<>(List.of("email", "name", "phone", "custom_attributes", "tags"));
        known.addAll(ATTRIBUTION_FIELDS);
        KNOWN_FIELDS = Collections.unmodifiableSet(known);
    }

    public LeadSubmission {
        attribution = Collections.unmodifiableMap(new LinkedHashMap<>(attribution));
        customAttributes = Collections.unmodifiableMap(new LinkedHashMap<>(customAttributes));
        tags = List.copyOf(tags);
    }

    /** Whether {@code name} is one of ours (attribution or its first-touch copy), which custom_attributes may not set. */
    public static boolean isAttributionAttribute(String name) {
        String base = name.startsWith(FIRST_TOUCH_PREFIX) ? name.substring(FIRST_TOUCH_PREFIX.length()) : name;
        return ATTRIBUTION_FIELDS.contains(base);
    }

    /**
     * Validates a parsed body. {@code fromForm} relaxes what plain HTML forms cannot express: {@code tags} may be a
     * comma-separated string. Throws a 400 {@link WebhookException} naming the first problem.
     */
    public static LeadSubmission from(ObjectNode body, boolean fromForm) {
        BodyFields.firstUnknown(body, KNOWN_FIELDS).ifPresent(field -> {
            throw new WebhookException(400, "unknown_field", "Unknown field '" + truncate(field)
                    + "'; accepted fields: " + String.join(", ", KNOWN_FIELDS), truncate(field));
        });
        String rawEmail = text(body, "email", Emails.MAX_LENGTH);
        if (rawEmail == null) {
            throw new WebhookException(400, "missing_field", "email is required", "email");
        }
        String email = Emails.normalize(rawEmail);
        if (!Emails.isValid(email)) {
            throw new WebhookException(400, "invalid_email", "email is not a valid email address", "email");
        }
        String name = text(body, "name", MAX_TEXT);
        String phone = text(body, "phone", MAX_PHONE);
        if (phone != null && (!PHONE.matcher(phone).matches() || phone.chars().filter(Character::isDigit).count() < 3)) {
            throw new WebhookException(400, "invalid_phone",
                    "phone may hold only digits, spaces, + ( ) . - / and at least 3 digits", "phone");
        }
        Map<String, String> attribution = new LinkedHashMap<>();
        for (String field : ATTRIBUTION_FIELDS) {
            String value = text(body, field, MAX_TEXT);
            if (value != null) {
                attribution.put(field, value);
            }
        }
        return new LeadSubmission(email, name, phone, attribution, customAttributes(body.get("custom_attributes")),
                tags(body.get("tags"), fromForm));
    }

    /**
     * The submission as a canonical JSON webhook body (what waits on the deferral queue): {@code from(toBody(), false)}
     * gives this submission back, with the same values and types.
     */
    public ObjectNode toBody() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("email", email);
        BodyFields.putIfPresent(body, "name", name);
        BodyFields.putIfPresent(body, "phone", phone);
        attribution.forEach(body::put);
        BodyFields.putScalars(body, "custom_attributes", customAttributes);
        if (!tags.isEmpty()) {
            ArrayNode names = body.putArray("tags");
            tags.forEach(names::add);
        }
        return body;
    }

    private static String text(ObjectNode body, String field, int maxLength) {
        String sent = BodyFields.text(body, field);
        if (sent == null) {
            return null;
        }
        String value = sent.trim();
        if (value.length() > maxLength) {
            throw new WebhookException(400, "field_too_long",
                    field + " is " + value.length() + " characters long; the limit is " + maxLength, field);
        }
        return value.isEmpty() ? null : value;
    }

    private static Map<String, Object> customAttributes(JsonNode node) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return attributes;
        }
        if (!node.isObject()) {
            throw new WebhookException(400, "invalid_type", "custom_attributes must be an object of name: value",
                    "custom_attributes");
        }
        if (node.size() > MAX_CUSTOM_ATTRIBUTES) {
            throw new WebhookException(400, "too_many_attributes", "custom_attributes has " + node.size()
                    + " entries; the limit is " + MAX_CUSTOM_ATTRIBUTES, "custom_attributes");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            String field = "custom_attributes." + truncate(name);
            if (name.length() > MAX_ATTRIBUTE_NAME || !ATTRIBUTE_NAME.matcher(name).matches()) {
                throw new WebhookException(400, "invalid_attribute_name", "Attribute names are 1 to "
                        + MAX_ATTRIBUTE_NAME + " letters, digits, spaces, underscores or hyphens", field);
            }
            if (isAttributionAttribute(name)) {
                throw new WebhookException(400, "reserved_attribute", "'" + name
                        + "' is set from the top-level attribution fields, not custom_attributes", field);
            }
            Object value = scalar(entry.getValue(), field);
            if (value != null) {
                attributes.put(name, value);
            }
        }
        return attributes;
    }

    /** A JSON scalar as String, Long, Double or Boolean; null for null or empty text (never written). */
    private static Object scalar(JsonNode value, String field) {
        if (value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            String text = value.textValue().trim();
            if (text.length() > MAX_TEXT) {
                throw new WebhookException(400, "field_too_long",
                        field + " is " + text.length() + " characters long; the limit is " + MAX_TEXT, field);
            }
            return text.isEmpty() ? null : text;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isIntegralNumber()) {
            BigInteger big = value.bigIntegerValue();
            if (big.bitLength() > 63) {
                throw new WebhookException(400, "invalid_type", field + " is out of the 64-bit integer range", field);
            }
            return big.longValue();
        }
        if (value.isNumber()) {
            double d = value.doubleValue();
            if (!Double.isFinite(d)) {
                throw new WebhookException(400, "invalid_type", field + " is not a finite number", field);
            }
            return d;
        }
        throw new WebhookException(400, "invalid_type",
                field + " must be a string, number or boolean (objects and arrays are not accepted)", field);
    }

    private static List<String> tags(JsonNode node, boolean fromForm) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        List<JsonNode> items = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(items::add);
        } else if (fromForm && node.isTextual()) {
            items.add(node);
        } else {
            throw new WebhookException(400, "invalid_type", fromForm
                    ? "tags must be a comma-separated list of names"
                    : "tags must be a list of strings", "tags");
        }
        Map<String, String> unique = new LinkedHashMap<>();
        for (JsonNode item : items) {
            if (!item.isTextual()) {
                throw new WebhookException(400, "invalid_type", "tags must be a list of strings", "tags");
            }
            // Forms send "a,b" or repeat the field; JSON names are taken whole.
            String[] names = fromForm ? item.textValue().split(",") : new String[] { item.textValue() };
            for (String raw : names) {
                String tag = raw.trim();
                if (tag.isEmpty()) {
                    continue;
                }
                if (tag.length() > MAX_TAG_NAME) {
                    throw new WebhookException(400, "field_too_long",
                            "a tag name is " + tag.length() + " characters long; the limit is " + MAX_TAG_NAME, "tags");
                }
                unique.putIfAbsent(tag.toLowerCase(Locale.ROOT), tag);
            }
        }
        if (unique.size() > MAX_TAGS) {
            throw new WebhookException(400, "too_many_tags",
                    unique.size() + " tags were sent; the limit is " + MAX_TAGS, "tags");
        }
        return List.copyOf(unique.values());
    }

    private static String truncate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
