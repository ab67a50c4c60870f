package dev.contactfunctions.intercom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.contactfunctions.invocation.LambdaInitialization;
import dev.contactfunctions.invocation.Secrets;

class IntercomCredentialsTest {

    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:intercom-token-AbCdEf";
    private static final LambdaInitialization ON_DEMAND = new LambdaInitialization("on-demand");

    /** Secrets Manager as far as the credentials see it: answers one secret and records the reads. */
    private static final class FakeSecrets extends Secrets {
        private volatile String value;
        private final List<String> reads = new ArrayList<>();

        FakeSecrets(String value) {
            this.value = value;
        }

        @Override
        public String read(String secretArn) {
            reads.add(secretArn);
            return value;
        }
    }

    @Test
    void aSecretMayHoldTheBareToken() {
        assertThat(IntercomCredentials.tokenFromSecret("  dG9rOjEyMw==\n")).isEqualTo("dG9rOjEyMw==");
    }

    @Test
    void aJsonSecretGivesItsAccessToken() {
        assertThat(IntercomCredentials.tokenFromSecret("{\"access_token\":\"tok-1\",\"client_secret\":\"other\"}"))
                .isEqualTo("tok-1");
        assertThat(IntercomCredentials.tokenFromSecret("{\"INTERCOM_ACCESS_TOKEN\":\"tok-2\"}")).isEqualTo("tok-2");
        assertThat(IntercomCredentials.tokenFromSecret("{\"token\":\"tok-3\"}")).isEqualTo("tok-3");
    }

    @Test
    void aJsonSecretWithoutATokenKeyIsRefusedClearly() {
        assertThatThrownBy(() -> IntercomCredentials.tokenFromSecret("{\"client_secret\":\"s3cr3t\"}"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("access_token")
                .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void aBrokenJsonSecretIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> IntercomCredentials.tokenFromSecret("{\"access_token\": \"s3cr3t"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining("s3cr3t")
                .hasNoCause();
    }

    @Test
    void theSecretWinsOverAPlainTokenAndIsAskedForOnEveryCall() {
        FakeSecrets secrets = new FakeSecrets("{\"access_token\":\"from-secret\"}");
        IntercomCredentials credentials = new IntercomCredentials(TestConfigs.intercom(Map.of(
                "intercom.token-secret-arn", ARN,
                "intercom.access-token", "from-env")), secrets, ON_DEMAND);

        assertThat(credentials.accessToken()).isEqualTo("from-secret");
        assertThat(credentials.accessToken()).isEqualTo("from-secret");
        // Secrets keeps the value for its time-to-live; the credentials never keep a token of their own
        assertThat(secrets.reads).containsExactly(ARN, ARN);
    }

    @Test
    void aRotatedTokenIsUsedFromTheNextCall() {
        FakeSecrets secrets = new FakeSecrets("{\"access_token\":\"before\"}");
        IntercomCredentials credentials = new IntercomCredentials(
                TestConfigs.intercom(Map.of("intercom.token-secret-arn", ARN)), secrets, ON_DEMAND);
        assertThat(credentials.accessToken()).isEqualTo("before");

        secrets.value = "after";

        assertThat(credentials.accessToken()).isEqualTo("after");
    }

    @Test
    void withoutASecretThePlainTokenIsUsed() {
        FakeSecrets secrets = new FakeSecrets("unused");
        IntercomCredentials credentials = new IntercomCredentials(
                TestConfigs.intercom(Map.of("intercom.access-token", "from-env")), secrets, ON_DEMAND);

        assertThat(credentials.accessToken()).isEqualTo("from-env");
        assertThat(secrets.reads).isEmpty();
    }

    @Test
    void withoutAnyTokenTheErrorSaysWhatToSet() {
        IntercomCredentials credentials = new IntercomCredentials(TestConfigs.intercom(), new FakeSecrets("unused"),
                ON_DEMAND);

        assertThatThrownBy(credentials::accessToken)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("INTERCOM_ACCESS_TOKEN")
                .hasMessageContaining("INTERCOM_TOKEN_SECRET_ARN");
    }

    @Test
    void aConfiguredSecretIsReadWhenTheInstanceStarts() {
        FakeSecrets secrets = new FakeSecrets("tok");
        IntercomCredentials credentials = new IntercomCredentials(
                TestConfigs.intercom(Map.of("intercom.token-secret-arn", ARN)), secrets, ON_DEMAND);

        credentials.readSecretAtStart(null);

        assertThat(secrets.reads).containsExactly(ARN);
        assertThat(credentials.accessToken()).isEqualTo("tok");
    }

    @Test
    void withoutASecretNothingIsReadAtStart() {
        FakeSecrets secrets = new FakeSecrets("unused");
        IntercomCredentials credentials = new IntercomCredentials(TestConfigs.intercom(), secrets, ON_DEMAND);

        credentials.readSecretAtStart(null);

        assertThat(secrets.reads).isEmpty();
    }

    @Test
    void beforeASnapStartSnapshotTheSecretIsNotReadUntilTheRestoreAsksForIt() {
        FakeSecrets secrets = new FakeSecrets("tok");
        IntercomCredentials credentials = new IntercomCredentials(
                TestConfigs.intercom(Map.of("intercom.token-secret-arn", ARN)), secrets,
                new LambdaInitialization("snap-start"));

        credentials.readSecretAtStart(null);
        assertThat(secrets.reads).as("nothing read before the snapshot").isEmpty();

        credentials.readSecretNow();
        assertThat(secrets.reads).containsExactly(ARN);
    }
}
