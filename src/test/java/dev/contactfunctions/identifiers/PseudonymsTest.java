package dev.contactfunctions.identifiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import dev.contactfunctions.invocation.NotConfiguredException;

class PseudonymsTest {

    static final Pseudonyms KEYED = Pseudonyms.withKey("a-test-key");

    @Test
    void anEmailsPseudonymIsItsKeyedHashTheSameForEverySpellingOfTheAddress() throws Exception {
        String pseudonym = KEYED.email(" Ada@Example.COM ");

        assertThat(pseudonym).matches("[0-9a-f]{64}").isEqualTo(KEYED.email("ada@example.com"));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("a-test-key".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertThat(pseudonym).isEqualTo(HexFormat.of().formatHex(
                mac.doFinal("email:ada@example.com".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void withoutTheKeyNobodyCanMatchAnAddress() throws Exception {
        String unkeyed = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest("ada@example.com".getBytes(StandardCharsets.UTF_8)));

        assertThat(KEYED.email("ada@example.com")).isNotEqualTo(unkeyed)
                .isNotEqualTo(Pseudonyms.withKey("another-key").email("ada@example.com"));
        assertThat(KEYED.emailFingerprint("ada@example.com")).isNotEqualTo(unkeyed.substring(0, 12));
    }

    @Test
    void theFingerprintAndTheAuditKeyArePrefixesOfThePseudonym() {
        String pseudonym = KEYED.email("ada@example.com");

        assertThat(KEYED.emailFingerprint("ADA@example.com")).isEqualTo(pseudonym.substring(0, 12));
        assertThat(String.format("%016x", KEYED.emailKey("ada@example.com"))).isEqualTo(pseudonym.substring(0, 16));
    }

    @Test
    void externalIdsHaveTheirOwnPseudonyms() {
        assertThat(KEYED.externalId("user-1")).matches("[0-9a-f]{64}").isEqualTo(KEYED.externalId("user-1"))
                .isNotEqualTo(KEYED.externalId("user-2")).isNotEqualTo(KEYED.email("user-1"));
    }

    @Test
    void withoutAKeyEveryUseSaysWhichSettingIsMissing() {
        for (String missing : new String[] { null, "", "  " }) {
            Pseudonyms none = Pseudonyms.withKey(missing);
            assertThatThrownBy(() -> none.email("ada@example.com")).isInstanceOf(NotConfiguredException.class)
                    .hasMessage("Not configured: the key that hashes email addresses and external ids is missing;"
                            + " set PRIVACY_HASH_KEY_ARN (or PRIVACY_HASH_KEY)");
            assertThatThrownBy(none::requireKey).isInstanceOf(NotConfiguredException.class);
        }
    }
}
