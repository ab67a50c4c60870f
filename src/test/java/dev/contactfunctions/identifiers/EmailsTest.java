package dev.contactfunctions.identifiers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one email rule of every function: what mail servers deliver, international addresses included. */
class EmailsTest {

    @ParameterizedTest
    @ValueSource(strings = {"ada@example.com", "ada.lovelace+newsletter@mail.example.co.uk", "o'brien@example.ie",
            "josé@exämple.de", "用户@例子.广告", "пользователь@пример.рф", "user_1-x@sub-domain.example.org",
            "a!#$%&*/=?^`{|}~@example.com"})
    void acceptsWhatMailServersDeliverInAnyScript(String email) {
        assertThat(Emails.isValid(Emails.normalize(email))).as(email).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"<script>@example.com", "ada>@example.com", "(ada)@example.com", "ada@[127.0.0.1]",
            "ada,grace@example.com", "ada;@example.com", "ada:grace@example.com", "ada\\@example.com",
            "\"ada\"@example.com", "ada@exam<ple.com", "ada@example.com>", "ada@exa(mple).com"})
    void refusesTheCharactersNotAllowedUnquoted(String email) {
        assertThat(Emails.isValid(Emails.normalize(email))).as(email).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ada\u0000@example.com", "ada\u0007@example.com", "ada\u007f@example.com",
            "ada@exa\u0085mple.com", "ad\na@example.com", "ad\ta@example.com", "ada\u00a0@example.com",
            "ada\u2028@example.com", "ada\u202e@example.com", "ada\u200b@example.com", "ada\ud800@example.com"})
    void refusesControlFormatAndSpaceCharactersOfAnyScript(String email) {
        assertThat(Emails.isValid(email)).as(email.codePoints().mapToObj(Integer::toHexString).toList().toString())
                .isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ada", "ada@", "@example.com", "ada@example", "ada@@example.com",
            "ada@b@example.com", ".ada@example.com", "ada.@example.com", "ada..lovelace@example.com",
            "ada@.example.com", "ada@example..com", "ada@example.com."})
    void refusesWhatIsNotOneLocalPartAtOneDomain(String email) {
        assertThat(Emails.isValid(email)).as(email).isFalse();
    }

    @Test
    void refusesAnAddressLongerThanAnSmtpPath() {
        String local = "a".repeat(64);
        String domain = "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(59) + ".com";
        assertThat(Emails.isValid(local + "@" + domain)).as("%d characters", (local + "@" + domain).length())
                .isFalse();
        assertThat(Emails.isValid(local + "@" + domain.substring(2))).isTrue();
    }
}
