package dev.contactfunctions.invocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.contactfunctions.identifiers.Pseudonyms;
import dev.contactfunctions.sandbox.MutableClock;
import dev.contactfunctions.testsupport.FakeSecretsManager;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * The time-to-live of secrets, read through the real AWS SDK client from a Secrets Manager that rotates them mid-run,
 * on a clock the test moves: within the TTL no read, after it one read, and a failed re-read serves the last value
 * for a bounded time without a read per request.
 */
class SecretsTest {

    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:webhooks-AbCdEf";

    private final FakeSecretsManager secretsManager = FakeSecretsManager.start();
    private final MutableClock clock = MutableClock.at(Instant.parse("2026-03-10T12:00:00Z"));
    private final Secrets secrets = new Secrets(Optional.of(secretsManager.endpoint()), Duration.ofMinutes(5),
            Duration.ofHours(1), clock);

    @AfterEach
    void stop() {
        secrets.close();
        secretsManager.close();
    }

    @Test
    void aRotatedSecretIsReadOnTheFirstUseAfterTheTtlAndNotBefore() {
        secretsManager.put(ARN, "old");
        assertThat(secrets.read(ARN)).isEqualTo("old");

        secretsManager.put(ARN, "new,old");
        clock.advance(Duration.ofMinutes(4).plusSeconds(59));
        assertThat(secrets.read(ARN)).as("within the TTL").isEqualTo("old");
        assertThat(secretsManager.reads()).hasSize(1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(secrets.read(ARN)).as("at the TTL").isEqualTo("new,old");
        assertThat(secrets.read(ARN)).isEqualTo("new,old");
        assertThat(secretsManager.reads()).as("one read per TTL").containsExactly(ARN, ARN);
    }

    @Test
    void aFailedReReadServesTheLastValueAndTriesAgainHalfAMinuteLaterNotOnEveryUse() {
        secretsManager.put(ARN, "old");
        secrets.read(ARN);
        secretsManager.put(ARN, "new");
        secretsManager.failWith(400, "AccessDeniedException");
        clock.advance(Duration.ofMinutes(5));

        assertThat(secrets.read(ARN)).as("the failed re-read").isEqualTo("old");
        clock.advance(Duration.ofSeconds(29));
        assertThat(secrets.read(ARN)).isEqualTo("old");
        assertThat(secretsManager.reads()).as("one failed read, not one per use").hasSize(2);

        clock.advance(Duration.ofSeconds(1));
        assertThat(secrets.read(ARN)).as("tried again, failing again").isEqualTo("old");
        assertThat(secretsManager.reads()).hasSize(3);

        secretsManager.answerNormally();
        clock.advance(Duration.ofSeconds(30));
        assertThat(secrets.read(ARN)).as("Secrets Manager is back").isEqualTo("new");
        clock.advance(Duration.ofMinutes(4));
        assertThat(secrets.read(ARN)).as("a full TTL from the successful read").isEqualTo("new");
        assertThat(secretsManager.reads()).hasSize(4);
    }

    @Test
    void theLastValueIsServedNoLongerThanTheMaxStaleAfterItWasRead() {
        secretsManager.put(ARN, "old");
        secrets.read(ARN);
        secretsManager.failWith(503, "ServiceUnavailableException");

        clock.advance(Duration.ofMinutes(59).plusSeconds(59));
        assertThat(secrets.read(ARN)).isEqualTo("old");

        clock.advance(Duration.ofSeconds(30));
        assertThatThrownBy(() -> secrets.read(ARN)).isInstanceOf(SecretsManagerException.class)
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("ServiceUnavailableException"));
    }

    @Test
    void aFirstReadThatFailsIsTheCallersFailure() {
        secretsManager.put(ARN, "value");
        secretsManager.failWith(400, "AccessDeniedException");

        assertThatThrownBy(() -> secrets.read(ARN)).isInstanceOf(SecretsManagerException.class)
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("AccessDeniedException"));

        secretsManager.answerNormally();
        assertThat(secrets.read(ARN)).as("nothing remembered of the failure").isEqualTo("value");
    }

    @Test
    void aTtlOfZeroReadsOnEveryUse() {
        Secrets everyUse = new Secrets(Optional.of(secretsManager.endpoint()), Duration.ZERO, Duration.ofHours(1),
                clock);
        secretsManager.put(ARN, "one");
        assertThat(everyUse.read(ARN)).isEqualTo("one");
        secretsManager.put(ARN, "two");
        assertThat(everyUse.read(ARN)).isEqualTo("two");
        everyUse.close();
    }

    @Test
    void thePrivacyHashKeyIsReadOnceAndKeptForTheInstancesLifeWhateverTheTtl() {
        secretsManager.put(ARN, "first-key");
        Pseudonyms pseudonyms = new Pseudonyms(Optional.empty(), Optional.of(ARN), secrets);
        String before = pseudonyms.email("ada.lovelace@example.com");

        secretsManager.put(ARN, "second-key");
        clock.advance(Duration.ofHours(2));

        assertThat(pseudonyms.email("ada.lovelace@example.com")).as("the same person, the same pseudonym")
                .isEqualTo(before);
        assertThat(secretsManager.reads()).hasSize(1);
        Secrets newInstance = new Secrets(Optional.of(secretsManager.endpoint()), Duration.ofMinutes(5),
                Duration.ofHours(1), clock);
        assertThat(new Pseudonyms(Optional.empty(), Optional.of(ARN), newInstance).email("ada.lovelace@example.com"))
                .as("a new instance reads the new key").isNotEqualTo(before);
        newInstance.close();
    }

    private static String errorCode(Throwable e) {
        return ((SecretsManagerException) e).awsErrorDetails().errorCode();
    }
}
