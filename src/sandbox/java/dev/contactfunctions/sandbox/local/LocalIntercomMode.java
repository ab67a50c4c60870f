package dev.contactfunctions.sandbox.local;

import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Whether the local run talks to the Intercom sandbox: yes, unless the environment names a real Intercom
 * ({@code INTERCOM_ACCESS_TOKEN}, {@code INTERCOM_BASE_URL} or {@code INTERCOM_TOKEN_SECRET_ARN}) or the command
 * line sets {@code -Dintercom.base-url} / {@code -Dintercom.access-token}.
 */
public final class LocalIntercomMode {

    static final List<String> REAL_INTERCOM_VARIABLES = List.of("INTERCOM_ACCESS_TOKEN", "INTERCOM_BASE_URL",
            "INTERCOM_TOKEN_SECRET_ARN");
    static final List<String> REAL_INTERCOM_PROPERTIES = List.of("intercom.base-url", "intercom.access-token");

    private LocalIntercomMode() {
    }

    public static boolean usesSandbox() {
        return usesSandbox(System.getenv(), System.getProperties());
    }

    static boolean usesSandbox(Map<String, String> environment, Properties systemProperties) {
        return REAL_INTERCOM_VARIABLES.stream().allMatch(name -> blank(environment.get(name)))
                && REAL_INTERCOM_PROPERTIES.stream().allMatch(name -> blank(systemProperties.getProperty(name)));
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
