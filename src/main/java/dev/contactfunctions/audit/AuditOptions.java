package dev.contactfunctions.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What one audit run does: which segments, which rules, report or fix (or a dry run of fix), within which caps.
 * Built from {@link AuditConfig} and overridden per run by the event's {@link AuditOverrides}.
 */
@RegisterForReflection
public record AuditOptions(AuditMode mode, boolean dryRun, Segments segments, AuditRules rules, Caps caps,
        int inactivityDays, int maxListedPerFinding) {

    public AuditOptions {
        if (mode == null) {
            throw new AuditInputException("mode is required");
        }
        segments = segments == null ? new Segments(List.of(), List.of()) : segments;
        rules = rules == null ? AuditRules.none() : rules;
        caps = caps == null ? new Caps(0, 0) : caps;
        if (inactivityDays < 1) {
            throw new AuditInputException("inactivity-days must be at least 1, got " + inactivityDays);
        }
        if (maxListedPerFinding < 0) {
            throw new AuditInputException("max-listed-per-finding must not be negative, got " + maxListedPerFinding);
        }
    }

    public static AuditOptions from(AuditConfig config) {
        return new AuditOptions(config.mode(), config.dryRun(),
                new Segments(config.segments().include().orElse(List.of()), config.segments().exclude().orElse(List.of())),
                new AuditRules(config.rules().requiredAttributes(), config.rules().segmentTags()),
                new Caps(config.caps().merges(), config.caps().tagChanges()),
                config.inactivityDays(), config.maxListedPerFinding());
    }

    /** The options as overridden by a run's input: every key present replaces the configured value. */
    public AuditOptions with(AuditOverrides o) {
        if (o == null) {
            return this;
        }
        Segments s = o.segments() == null ? segments
                : new Segments(o.segments().include() == null ? segments.include() : o.segments().include(),
                        o.segments().exclude() == null ? segments.exclude() : o.segments().exclude());
        AuditRules r = o.rules() == null ? rules
                : new AuditRules(o.rules().requiredAttributes() == null ? rules.requiredAttributes() : o.rules().requiredAttributes(),
                        o.rules().segmentTags() == null ? rules.segmentTags() : o.rules().segmentTags());
        Caps c = o.caps() == null ? caps
                : new Caps(o.caps().merges() == null ? caps.merges() : o.caps().merges(),
                        o.caps().tagChanges() == null ? caps.tagChanges() : o.caps().tagChanges());
        return new AuditOptions(o.mode() == null ? mode : o.mode(), o.dryRun() == null ? dryRun : o.dryRun(), s, r, c,
                o.inactivityDays() == null ? inactivityDays : o.inactivityDays(),
                o.maxListedPerFinding() == null ? maxListedPerFinding : o.maxListedPerFinding());
    }

    public boolean fixes() {
        return mode == AuditMode.FIX;
    }

    /** A stable digest of the options: a checkpoint is resumed only by a run with the same options. */
    public String fingerprint() {
        try {
            byte[] canonical = AuditJson.WRITER.writeValueAsBytes(this);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical), 0, 12);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @RegisterForReflection
    public record Segments(List<String> include, List<String> exclude) {
        public Segments {
            include = clean(include, "segments.include");
            exclude = clean(exclude, "segments.exclude");
        }
    }

    @RegisterForReflection
    public record Caps(int merges, int tagChanges) {
        public Caps {
            if (merges < 0 || tagChanges < 0) {
                throw new AuditInputException("caps must not be negative, got merges=" + merges + " tag-changes=" + tagChanges);
            }
        }
    }

    private static List<String> clean(List<String> values, String name) {
        if (values == null) {
            return List.of();
        }
        return values.stream().map(v -> {
            if (v == null || v.isBlank()) {
                throw new AuditInputException(name + " has a blank entry");
            }
            return v.trim();
        }).distinct().toList();
    }
}
