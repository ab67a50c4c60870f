package dev.contactfunctions.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The data-quality rules: attributes required per segment (or {@value #EVERYONE} for every contact) and tags that
 * the members of a segment must carry. Segments are named by name (case-insensitive) or id.
 */
@RegisterForReflection
public record AuditRules(Map<String, List<String>> requiredAttributes, Map<String, List<String>> segmentTags) {

    public static final String EVERYONE = "*";

    public AuditRules {
        requiredAttributes = canonical(requiredAttributes, "required-attributes");
        segmentTags = canonical(segmentTags, "segment-tags");
    }

    public static AuditRules none() {
        return new AuditRules(Map.of(), Map.of());
    }

    /** Attributes every contact must have. */
    public List<String> requiredOfEveryone() {
        return requiredAttributes.getOrDefault(EVERYONE, List.of());
    }

    /** Attributes a member of this segment must have (the segment rules only; everyone's are checked apart). */
    public List<String> requiredInSegment(String segmentId, String segmentName) {
        List<String> required = new ArrayList<>();
        requiredAttributes.forEach((key, attributes) -> {
            if (!EVERYONE.equals(key) && names(key, segmentId, segmentName)) {
                attributes.stream().filter(a -> !required.contains(a)).forEach(required::add);
            }
        });
        return required;
    }

    /** Tag names the members of this segment must carry. */
    public List<String> tagsOfSegment(String segmentId, String segmentName) {
        List<String> tags = new ArrayList<>();
        segmentTags.forEach((key, names) -> {
            if (names(key, segmentId, segmentName)) {
                names.stream().filter(t -> tags.stream().noneMatch(t::equalsIgnoreCase)).forEach(tags::add);
            }
        });
        return tags;
    }

    static boolean names(String key, String segmentId, String segmentName) {
        return key.equals(segmentId) || segmentName != null && key.equalsIgnoreCase(segmentName);
    }

    private static Map<String, List<String>> canonical(Map<String, List<String>> rules, String kind) {
        Map<String, List<String>> sorted = new TreeMap<>();
        if (rules == null) {
            return sorted;
        }
        rules.forEach((key, values) -> {
            if (key == null || key.isBlank()) {
                throw new AuditInputException("rules." + kind + " has a blank segment key");
            }
            List<String> cleaned = new ArrayList<>();
            for (String value : values == null ? List.<String>of() : values) {
                String v = value == null ? "" : value.trim();
                if (v.isEmpty()) {
                    throw new AuditInputException("rules." + kind + " of '" + key + "' has a blank entry");
                }
                if (!cleaned.contains(v)) {
                    cleaned.add(v);
                }
            }
            sorted.put(key.trim(), List.copyOf(cleaned));
        });
        if ("segment-tags".equals(kind) && sorted.containsKey(EVERYONE)) {
            throw new AuditInputException("rules.segment-tags applies to segments; '*' is not a segment");
        }
        return sorted;
    }
}
