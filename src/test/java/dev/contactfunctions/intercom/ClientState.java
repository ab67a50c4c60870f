package dev.contactfunctions.intercom;

import io.quarkus.arc.Arc;

/** For Quarkus tests of other packages: forgets the rate-limit window the shared client's pacer has seen. */
public final class ClientState {

    private ClientState() {
    }

    public static void forgetRateLimitWindow() {
        Arc.container().instance(RateLimitPacer.class).get().reset();
    }
}
