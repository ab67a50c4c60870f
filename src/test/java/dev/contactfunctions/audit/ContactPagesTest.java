package dev.contactfunctions.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.contactfunctions.intercom.model.WorkspaceApp;

/** The address of a contact's page: the region's host, and nothing built from an id that is not letters and digits. */
class ContactPagesTest {

    static final String CONTACT = "65a0000000000000000000a1";

    static Optional<String> url(String appId, String region, String contactId) {
        return ContactPages.of(Optional.of(new WorkspaceApp(appId, region))).flatMap(pages -> pages.url(contactId));
    }

    @Test
    void eachRegionHasItsOwnHost() {
        assertThat(url("abc123de", "US", CONTACT))
                .contains("https://app.intercom.com/a/apps/abc123de/users/" + CONTACT + "/all-conversations");
        assertThat(url("abc123de", "EU", CONTACT))
                .contains("https://app.eu.intercom.com/a/apps/abc123de/users/" + CONTACT + "/all-conversations");
        assertThat(url("abc123de", "AU", CONTACT))
                .contains("https://app.au.intercom.com/a/apps/abc123de/users/" + CONTACT + "/all-conversations");
    }

    @Test
    void noPageForAnUnknownRegionOrAnIdThatIsNotLettersAndDigits() {
        assertThat(url("abc123de", "CA", CONTACT)).isEmpty();
        assertThat(url("abc123de", null, CONTACT)).isEmpty();
        assertThat(url("abc_123", "US", CONTACT)).as("the OpenAPI example's app id has underscores").isEmpty();
        assertThat(url("abc123de/../x", "US", CONTACT)).isEmpty();
        assertThat(url(null, "US", CONTACT)).isEmpty();
        assertThat(url("abc123de", "US", "x)](javascript:alert(1))")).isEmpty();
        assertThat(url("abc123de", "US", "lead-1")).isEmpty();
        assertThat(ContactPages.of(Optional.empty())).isEmpty();
        assertThat(new ContactPages("a\"><script>", "US").url(CONTACT)).as("a tampered checkpoint").isEmpty();
    }

    @Test
    void aMarkdownLinkAddressCannotEndEarly() {
        assertThat(MarkdownReport.destination("https://h/a b)<c>\\d&amp;é"))
                .isEqualTo("https://h/a%20b%29%3Cc%3E%5Cd%26amp;%C3%A9");
    }
}
