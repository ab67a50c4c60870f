package dev.contactfunctions.identity;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import dev.contactfunctions.intercom.IntercomClient;
import dev.contactfunctions.intercom.model.DataAttribute;
import dev.contactfunctions.webhook.WebhookException;

/**
 * The workspace's custom contact attributes, read once per warm instance, so that an event naming an attribute
 * that does not exist (or giving it a value of the wrong type) is refused before anything is written: Intercom
 * would reject the write with "Custom attribute ... does not exist" (contract.md §4). An unknown name triggers one
 * re-read (attributes may have been created since), at most once per {@code attribute-refresh-interval}.
 */
@ApplicationScoped
public class WorkspaceAttributes {

    private final IntercomClient intercom;
    private final Clock clock;
    private final IdentifyMergeConfig config;
    private volatile Map<String, DataAttribute> custom;
    private volatile Instant loadedAt = Instant.MIN;

    WorkspaceAttributes(IntercomClient intercom, Clock clock, IdentifyMergeConfig config) {
        this.intercom = intercom;
        this.clock = clock;
        this.config = config;
    }

    /** Throws a 422 {@link WebhookException} naming the attributes that do not exist or have the wrong type. */
    public void check(Map<String, Object> attributes) {
        if (attributes.isEmpty()) {
            return;
        }
        Map<String, DataAttribute> known = custom == null ? load() : custom;
        List<String> unknown = unknown(attributes, known);
        if (!unknown.isEmpty() && clock.instant().isAfter(loadedAt.plus(config.attributeRefreshInterval()))) {
            known = load();
            unknown = unknown(attributes, known);
        }
        if (!unknown.isEmpty()) {
            throw new WebhookException(422, "unknown_custom_attribute", "Custom attribute"
                    + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + (unknown.size() > 1 ? " do" : " does") + " not exist in the Intercom workspace; create "
                    + (unknown.size() > 1 ? "them" : "it") + " first (Intercom data attributes) or leave "
                    + (unknown.size() > 1 ? "them" : "it") + " out", "custom_attributes." + unknown.get(0));
        }
        for (Map.Entry<String, Object> entry : attributes.entrySet()) {
            String expected = expectedJavaType(known.get(entry.getKey()).dataType(), entry.getValue());
            if (expected != null) {
                throw new WebhookException(422, "custom_attribute_type_mismatch", "custom_attributes." + entry.getKey()
                        + " is a " + known.get(entry.getKey()).dataType() + " attribute in Intercom: send " + expected,
                        "custom_attributes." + entry.getKey());
            }
        }
    }

    /** Forgets what was read, so that the next check reads the workspace again. */
    void invalidate() {
        custom = null;
        loadedAt = Instant.MIN;
    }

    private Map<String, DataAttribute> load() {
        Map<String, DataAttribute> read = intercom.listContactDataAttributes().stream()
                .filter(DataAttribute::isCustom)
                .filter(a -> !Boolean.TRUE.equals(a.archived()))
                .filter(a -> a.name() != null)
                .collect(Collectors.toUnmodifiableMap(DataAttribute::name, Function.identity(), (a, b) -> a));
        custom = read;
        loadedAt = clock.instant();
        return read;
    }

    private static List<String> unknown(Map<String, Object> attributes, Map<String, DataAttribute> known) {
        return attributes.keySet().stream().filter(name -> !known.containsKey(name)).sorted().toList();
    }

    /** What the value should have been, or null when it fits the attribute's data type. */
    private static String expectedJavaType(String dataType, Object value) {
        if (dataType == null) {
            return null;
        }
        return switch (dataType) {
            case "string" -> value instanceof String ? null : "a string";
            case "integer" -> value instanceof Long ? null : "an integer";
            case "float" -> value instanceof Number ? null : "a number";
            case "boolean" -> value instanceof Boolean ? null : "true or false";
            case "date", "datetime" -> value instanceof Long || value instanceof String ? null
                    : "Unix seconds (an integer)";
            default -> null;
        };
    }
}
