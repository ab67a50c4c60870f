package dev.contactfunctions.identity;

import dev.contactfunctions.intercom.IntercomClient;

/**
 * The first Intercom call of a test JVM initializes the REST client stack, which can take seconds on a busy
 * machine: more than the 2.5 s of calls a notification gets. Tests that measure the budget warm the client first.
 */
final class IntercomWarmUp {

    private static volatile boolean warm;

    private IntercomWarmUp() {
    }

    /** One call against whatever Intercom the test uses; any answer (a 404 here) will do. */
    static void once(IntercomClient intercom) {
        if (!warm) {
            intercom.findContact("warm-up");
            warm = true;
        }
    }
}
