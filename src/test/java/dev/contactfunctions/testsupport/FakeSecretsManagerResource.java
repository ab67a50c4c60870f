package dev.contactfunctions.testsupport;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A {@link FakeSecretsManager} for a Quarkus test, holding the Intercom token and the webhook signing secret of the
 * test Intercom before the application starts (it reads the token at start), and the application configured to read
 * both from it through the AWS SDK ({@code secrets.endpoint} and the two ARNs). The test receives the server in a
 * {@code @InjectSecretsManager FakeSecretsManager} field.
 */
public class FakeSecretsManagerResource implements QuarkusTestResourceLifecycleManager {

    public static final String TOKEN_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:intercom/token-AbCdEf";
    public static final String SIGNING_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:webhooks-AbCdEf";
    public static final String SIGNING_SECRET = "local-dev-signing-secret";

    private FakeSecretsManager server;

    @Override
    public Map<String, String> start() {
        server = FakeSecretsManager.start()
                .put(TOKEN_ARN, "{\"access_token\":\"" + IntercomWireMock.TOKEN + "\"}")
                .put(SIGNING_ARN, SIGNING_SECRET);
        return Map.of(
                "secrets.endpoint", server.endpoint().toString(),
                "intercom.token-secret-arn", TOKEN_ARN,
                "webhook.signing-secret-arn", SIGNING_ARN);
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
