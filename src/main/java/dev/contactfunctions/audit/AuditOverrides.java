package dev.contactfunctions.audit;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Per-run overrides, read from the schedule event's {@code detail} object. The keys mirror the {@code audit.*}
 * configuration keys; every key is optional and a present key replaces the configured value (a rules map replaces
 * the configured map of that kind). Example: {@code {"mode":"fix","dry-run":true,"segments":{"include":["Enterprise"]}}}.
 * {@code attempt} is not an option: the schedule may pass Scheduler's {@code <aws.scheduler.attempt-number>} in it,
 * which is only logged.
 */
@RegisterForReflection
public record AuditOverrides(
        AuditMode mode,
        @JsonProperty("dry-run") Boolean dryRun,
        SegmentsOverride segments,
        RulesOverride rules,
        CapsOverride caps,
        @JsonProperty("inactivity-days") Integer inactivityDays,
        @JsonProperty("max-listed-per-finding") Integer maxListedPerFinding,
        String attempt) {

    private static final ObjectReader READER = AuditJson.MAPPER.readerFor(AuditOverrides.class)
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .with(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);

    /** Reads the event detail; an empty or absent detail overrides nothing. Unknown keys are refused by name. */
    public static AuditOverrides parse(Map<String, Object> detail) {
        if (detail == null || detail.isEmpty()) {
            return null;
        }
        try {
            return READER.readValue((JsonNode) AuditJson.MAPPER.valueToTree(detail));
        } catch (UnrecognizedPropertyException e) {
            throw new AuditInputException("unknown option '" + e.getPropertyName() + "' in the event detail; known: "
                    + e.getKnownPropertyIds(), e);
        } catch (AuditInputException e) {
            throw e;
        } catch (Exception e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                if (cause.getCause() instanceof AuditInputException input) {
                    throw input;
                }
                cause = cause.getCause();
            }
            throw new AuditInputException("invalid event detail: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    @RegisterForReflection
    public record SegmentsOverride(List<String> include, List<String> exclude) {
    }

    @RegisterForReflection
    public record RulesOverride(@JsonProperty("required-attributes") Map<String, List<String>> requiredAttributes,
            @JsonProperty("segment-tags") Map<String, List<String>> segmentTags) {
    }

    @RegisterForReflection
    public record CapsOverride(Integer merges, @JsonProperty("tag-changes") Integer tagChanges) {
    }
}
