package dev.contactfunctions.testsupport;

import dev.contactfunctions.identifiers.Pseudonyms;

/** The pseudonyms of the test profile's key (the documented local one), for objects built by hand and assertions. */
public final class TestPseudonyms {

    public static final Pseudonyms LOCAL = Pseudonyms.withKey(Pseudonyms.LOCAL_KEY);

    private TestPseudonyms() {
    }
}
