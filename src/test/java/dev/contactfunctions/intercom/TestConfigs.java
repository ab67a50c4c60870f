package dev.contactfunctions.intercom;

import java.time.Duration;
import java.util.Map;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** {@link IntercomConfig} for unit tests: the real mapping and defaults, without starting Quarkus. */
public final class TestConfigs {

    private TestConfigs() {
    }

    /** The configuration with these keys (full names, e.g. {@code intercom.retry.jitter}) set. */
    public static IntercomConfig intercom(Map<String, String> values) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(IntercomConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withDefaultValues(values)
                .build();
        return config.getConfigMapping(IntercomConfig.class);
    }

    public static IntercomConfig intercom() {
        return intercom(Map.of());
    }
}
