package dev.contactfunctions.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.contactfunctions.testsupport.TestPseudonyms;
import dev.contactfunctions.audit.EmailIndex.Member;

class EmailIndexTest {

    @Test
    void keepsIdsOnlyForEmailsSeenMoreThanOnce() {
        EmailIndex index = new EmailIndex();
        index.add(TestPseudonyms.LOCAL.emailKey("a@example.com"), "5ba682d23d7cf92bef87bfd4", "user");
        index.add(TestPseudonyms.LOCAL.emailKey("b@example.com"), "5ba682d23d7cf92bef87bfd5", "lead");
        index.add(TestPseudonyms.LOCAL.emailKey("a@example.com"), "lead-Not-Hex", "lead");
        index.add(TestPseudonyms.LOCAL.emailKey("a@example.com"), "5ba682d23d7cf92bef87bfd3", "user");

        assertThat(index.size()).isEqualTo(2);
        assertThat(index.sharedEmails()).containsExactly(new EmailIndex.SharedEmail(TestPseudonyms.LOCAL.emailFingerprint("a@example.com"),
                List.of(new Member("5ba682d23d7cf92bef87bfd3", "user"), new Member("5ba682d23d7cf92bef87bfd4", "user"),
                        new Member("lead-Not-Hex", "lead"))));
    }

    @Test
    void itsFingerprintIsTheSharedEmailFingerprint() {
        assertThat(EmailIndex.fingerprint(TestPseudonyms.LOCAL.emailKey("someone@example.com")))
                .isEqualTo(TestPseudonyms.LOCAL.emailFingerprint(" SomeOne@Example.com "));
    }

    @Test
    void growsAndSurvivesTheCheckpointRoundTrip() {
        EmailIndex index = new EmailIndex();
        for (int i = 0; i < 5000; i++) {
            index.add(TestPseudonyms.LOCAL.emailKey("person" + i + "@example.com"), String.format("%024x", i),
                    i % 2 == 0 ? "user" : "lead");
        }
        index.add(TestPseudonyms.LOCAL.emailKey("person7@example.com"), "abc", "user");
        index.add(TestPseudonyms.LOCAL.emailKey("person8@example.com"), String.format("%024x", 99999), "lead");

        EmailIndex copy = EmailIndex.deserialize(index.serialize());
        copy.add(TestPseudonyms.LOCAL.emailKey("person9@example.com"), "late", "user");

        assertThat(copy.size()).isEqualTo(5000);
        assertThat(copy.sharedEmails()).extracting(EmailIndex.SharedEmail::emailFingerprint).containsExactlyInAnyOrder(
                TestPseudonyms.LOCAL.emailFingerprint("person7@example.com"), TestPseudonyms.LOCAL.emailFingerprint("person8@example.com"),
                TestPseudonyms.LOCAL.emailFingerprint("person9@example.com"));
        assertThat(copy.sharedEmails()).filteredOn(s -> s.emailFingerprint().equals(TestPseudonyms.LOCAL.emailFingerprint("person7@example.com")))
                .singleElement().satisfies(s -> {
                    assertThat(s.userIds()).containsExactly("abc");
                    assertThat(s.leadIds()).containsExactly(String.format("%024x", 7));
                });
        assertThat(copy.sharedEmails()).filteredOn(s -> s.emailFingerprint().equals(TestPseudonyms.LOCAL.emailFingerprint("person8@example.com")))
                .singleElement().satisfies(s -> {
                    assertThat(s.userIds()).containsExactly(String.format("%024x", 8));
                    assertThat(s.leadIds()).containsExactly(String.format("%024x", 99999));
                });
    }

    @Test
    void theCheckpointFormIsCompact() {
        EmailIndex index = new EmailIndex();
        for (int i = 0; i < 10_000; i++) {
            index.add(TestPseudonyms.LOCAL.emailKey("person" + i + "@example.com"), String.format("%024x", i * 7919L),
                    "lead");
        }

        assertThat(index.serialize().length()).isLessThan(10_000 * 40);
    }
}
