package dev.contactfunctions.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

class AuditOptionsTest {

    static AuditConfig config(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addSystemSources()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(AuditConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build();
        return config.getConfigMapping(AuditConfig.class);
    }

    @Test
    void defaultsToAReportOfEverySegmentWithoutRules() {
        AuditConfig config = config(Map.of());
        AuditOptions options = AuditOptions.from(config);

        assertThat(options).isEqualTo(new AuditOptions(AuditMode.REPORT, false,
                new AuditOptions.Segments(List.of(), List.of()), AuditRules.none(), new AuditOptions.Caps(50, 200), 90, 500));
        assertThat(config.reportBucket()).isEmpty();
        assertThat(config.reportDir()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "intercom-audit"));
        assertThat(config.safetyMargin()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void readsRulesKeyedBySegmentNameWithCommaSeparatedValues() {
        AuditOptions options = AuditOptions.from(config(Map.of(
                "audit.mode", "fix",
                "audit.dry-run", "true",
                "audit.segments.include", "Enterprise,seg-42",
                "audit.segments.exclude", "Internal",
                "audit.rules.required-attributes.\"Enterprise\"", "plan,seats",
                "audit.rules.required-attributes.\"*\"", "email",
                "audit.rules.segment-tags.\"Enterprise\"", "enterprise",
                "audit.caps.merges", "5",
                "audit.caps.tag-changes", "20",
                "audit.inactivity-days", "30")));

        assertThat(options.mode()).isEqualTo(AuditMode.FIX);
        assertThat(options.dryRun()).isTrue();
        assertThat(options.segments()).isEqualTo(new AuditOptions.Segments(List.of("Enterprise", "seg-42"), List.of("Internal")));
        assertThat(options.rules().requiredAttributes())
                .containsExactly(Map.entry("*", List.of("email")), Map.entry("Enterprise", List.of("plan", "seats")));
        assertThat(options.rules().segmentTags()).containsExactly(Map.entry("Enterprise", List.of("enterprise")));
        assertThat(options.caps()).isEqualTo(new AuditOptions.Caps(5, 20));
        assertThat(options.inactivityDays()).isEqualTo(30);
    }

    @Test
    void theEventDetailOverridesOnlyTheKeysItHas() {
        AuditOptions configured = AuditOptions.from(config(Map.of(
                "audit.rules.required-attributes.\"Enterprise\"", "plan",
                "audit.rules.segment-tags.\"Enterprise\"", "enterprise",
                "audit.segments.exclude", "Internal")));
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("mode", "fix");
        detail.put("dry-run", true);
        detail.put("segments", Map.of("include", List.of("Enterprise")));
        detail.put("rules", Map.of("required-attributes", Map.of("*", List.of("email"))));
        detail.put("caps", Map.of("merges", 3));

        AuditOptions options = configured.with(AuditOverrides.parse(detail));

        assertThat(options.mode()).isEqualTo(AuditMode.FIX);
        assertThat(options.dryRun()).isTrue();
        assertThat(options.segments()).isEqualTo(new AuditOptions.Segments(List.of("Enterprise"), List.of("Internal")));
        assertThat(options.rules().requiredAttributes()).containsExactly(Map.entry("*", List.of("email")));
        assertThat(options.rules().segmentTags()).containsExactly(Map.entry("Enterprise", List.of("enterprise")));
        assertThat(options.caps()).isEqualTo(new AuditOptions.Caps(3, 200));
        assertThat(options.inactivityDays()).isEqualTo(90);
    }

    @Test
    void anEmptyDetailChangesNothing() {
        AuditOptions configured = AuditOptions.from(config(Map.of()));

        assertThat(configured.with(AuditOverrides.parse(Map.of()))).isEqualTo(configured);
        assertThat(configured.with(AuditOverrides.parse(null))).isEqualTo(configured);
    }

    @Test
    void acceptsTheSchedulersAttemptNumberWithoutTreatingItAsAnOption() {
        AuditOptions configured = AuditOptions.from(config(Map.of()));

        AuditOverrides overrides = AuditOverrides.parse(Map.of("attempt", "2"));

        assertThat(overrides.attempt()).isEqualTo("2");
        assertThat(configured.with(overrides)).isEqualTo(configured);
    }

    @Test
    void refusesAnUnknownKeyByName() {
        assertThatThrownBy(() -> AuditOverrides.parse(Map.of("dryRun", true)))
                .isInstanceOf(AuditInputException.class)
                .hasMessageStartingWith("unknown option 'dryRun' in the event detail; known: ")
                .hasMessageContaining("dry-run");
    }

    @Test
    void refusesAnUnknownModeAndNegativeCaps() {
        assertThatThrownBy(() -> AuditOverrides.parse(Map.of("mode", "repair")))
                .isInstanceOf(AuditInputException.class)
                .hasMessage("mode must be 'report' or 'fix', got 'repair'");
        AuditOptions configured = AuditOptions.from(config(Map.of()));
        assertThatThrownBy(() -> configured.with(AuditOverrides.parse(Map.of("caps", Map.of("merges", -1)))))
                .isInstanceOf(AuditInputException.class)
                .hasMessage("caps must not be negative, got merges=-1 tag-changes=200");
        assertThatThrownBy(() -> configured.with(AuditOverrides.parse(Map.of("inactivity-days", 0))))
                .isInstanceOf(AuditInputException.class)
                .hasMessage("inactivity-days must be at least 1, got 0");
    }

    @Test
    void refusesAValueOfTheWrongType() {
        assertThatThrownBy(() -> AuditOverrides.parse(Map.of("caps", "many")))
                .isInstanceOf(AuditInputException.class)
                .hasMessageStartingWith("invalid event detail: ");
    }

    @Test
    void refusesTagRulesOnEveryone() {
        assertThatThrownBy(() -> new AuditRules(Map.of(), Map.of("*", List.of("x"))))
                .isInstanceOf(AuditInputException.class)
                .hasMessage("rules.segment-tags applies to segments; '*' is not a segment");
    }

    @Test
    void matchesRuleSegmentsByIdOrCaseInsensitiveName() {
        AuditRules rules = new AuditRules(
                Map.of("enterprise", List.of("plan"), "seg-9", List.of("seats", "plan"), "*", List.of("email")),
                Map.of("ENTERPRISE", List.of("vip")));

        assertThat(rules.requiredInSegment("seg-9", "Enterprise")).containsExactly("plan", "seats");
        assertThat(rules.requiredInSegment("seg-1", "Trial")).isEmpty();
        assertThat(rules.requiredOfEveryone()).containsExactly("email");
        assertThat(rules.tagsOfSegment("seg-9", "Enterprise")).containsExactly("vip");
    }

    @Test
    void theFingerprintChangesWithTheOptions() {
        AuditOptions options = AuditOptions.from(config(Map.of()));

        assertThat(options.fingerprint()).isEqualTo(AuditOptions.from(config(Map.of())).fingerprint()).hasSize(24);
        assertThat(options.with(AuditOverrides.parse(Map.of("dry-run", true))).fingerprint())
                .isNotEqualTo(options.fingerprint());
    }
}
