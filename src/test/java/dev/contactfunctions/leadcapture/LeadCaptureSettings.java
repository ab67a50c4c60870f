package dev.contactfunctions.leadcapture;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * {@link LeadCaptureConfig} with values of a test's choosing, for function instances built by hand (a deployment with
 * other settings than the application under test).
 */
public record LeadCaptureSettings(boolean createMissingAttributes, Set<String> allowedAttributes,
        Optional<Set<String>> allowedTags) implements LeadCaptureConfig {

    /** The settings of a deployment that sets none: {@link LeadCaptureConfig}'s defaults, read by SmallRye Config. */
    public static LeadCaptureSettings defaults() {
        return of(new SmallRyeConfigBuilder().withMapping(LeadCaptureConfig.class).build()
                .getConfigMapping(LeadCaptureConfig.class));
    }

    public static LeadCaptureSettings of(LeadCaptureConfig config) {
        return new LeadCaptureSettings(config.createMissingAttributes(), Set.copyOf(config.allowedAttributes()),
                config.allowedTags().map(Set::copyOf));
    }

    public LeadCaptureSettings withoutAttributeCreation() {
        return new LeadCaptureSettings(false, allowedAttributes, allowedTags);
    }

    /** These settings, with more attributes and tags allow-listed. */
    public LeadCaptureSettings allowing(Collection<String> attributes, Collection<String> tags) {
        Set<String> moreAttributes = new LinkedHashSet<>(allowedAttributes);
        moreAttributes.addAll(attributes);
        Set<String> moreTags = new LinkedHashSet<>(allowedTags.orElse(Set.of()));
        moreTags.addAll(tags);
        return new LeadCaptureSettings(createMissingAttributes, Set.copyOf(moreAttributes),
                moreTags.isEmpty() ? Optional.empty() : Optional.of(Set.copyOf(moreTags)));
    }

    /** Form tools' fields: the default mappings ({@link FormFieldMapping}). */
    @Override
    public Optional<List<String>> typeformFields() {
        return Optional.empty();
    }

    @Override
    public Optional<List<String>> tallyFields() {
        return Optional.empty();
    }

    @Override
    public Optional<List<String>> webflowFields() {
        return Optional.empty();
    }
}
