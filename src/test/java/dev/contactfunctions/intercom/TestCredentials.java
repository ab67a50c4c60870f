package dev.contactfunctions.intercom;

import java.util.Map;

import dev.contactfunctions.invocation.LambdaInitialization;
import dev.contactfunctions.invocation.Secrets;

/** Intercom credentials built by hand, for function instances of tests outside this package. */
public final class TestCredentials {

    private TestCredentials() {
    }

    /** The token as configured in {@code INTERCOM_ACCESS_TOKEN}; null: none is configured. */
    public static IntercomCredentials withToken(String token) {
        return new IntercomCredentials(TestConfigs.intercom(token == null ? Map.of()
                : Map.of("intercom.access-token", token)), new Secrets(),
                new LambdaInitialization("on-demand"));
    }
}
