package dev.contactfunctions.testsupport;

import java.util.Map;

import dev.contactfunctions.identifiers.Pseudonyms;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A {@link FakeSecretsManager} for a Quarkus test, holding the Intercom token of the test Intercom, the webhook
 * signing secret and the privacy hash key of the tests before the application starts (it reads the token at start),
 * and the application configured to read the three from it through the AWS SDK ({@code secrets.endpoint} and ARNs). The test receives the server in a
 * {@code @InjectSecretsManager FakeSecretsManager} field.
 */
public class FakeSecretsManagerResource implements QuarkusTestResourceLifecycleManager {

    public static final String TOKEN_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:intercom/token-AbCdEf";
    public static final String SIGNING_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:webhooks-AbCdEf";
    public static final String PRIVACY_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:privacy-AbCdEf";
    public static final String SIGNING_SECRET = "local-dev-signing-secret";

    private FakeSecretsManager server;

    @Override
    public Map<String, String> start() {
        server = FakeSecretsManager.start()
                .put(TOKEN_ARN, "{\"access_token\":\"" + IntercomWireMock.TOKEN + "\"}")
                .put(SIGNING_ARN, SIGNING_SECRET)
                .put(PRIVACY_ARN, Pseudonyms.LOCAL_KEY);
        return Map.of(
                "secrets.endpoint", server.endpoint().toString(),
                "intercom.token-secret-arn", TOKEN_ARN,
                "webhook.signing-secret-arn", SIGNING_ARN,
                "privacy.hash-key-arn", PRIVACY_ARN);
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(server,
                new TestInjector.AnnotatedAndMatchesType(InjectSecretsManager.class, FakeSecretsManager.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
