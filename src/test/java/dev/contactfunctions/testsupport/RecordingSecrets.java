package dev.contactfunctions.testsupport;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import dev.contactfunctions.support.Secrets;

/**
 * Secrets Manager as a map, recording every read: tests that must prove when (or whether) a secret is read enable
 * it through their profile's {@code getEnabledAlternatives()}.
 */
@Alternative
@ApplicationScoped
public class RecordingSecrets extends Secrets {

    public static final String TOKEN_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:intercom/token-AbCdEf";
    public static final String SIGNING_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:webhooks-AbCdEf";

    private static final Map<String, String> VALUES = Map.of(
            TOKEN_ARN, "{\"access_token\":\"" + IntercomWireMock.TOKEN + "\"}",
            SIGNING_ARN, "local-dev-signing-secret");

    private final List<String> reads = new CopyOnWriteArrayList<>();

    @Override
    public String read(String secretArn) {
        reads.add(secretArn);
        String value = VALUES.get(secretArn);
        if (value == null) {
            throw new IllegalArgumentException("no such secret: " + secretArn);
        }
        return value;
    }

    /** The ARNs read so far, oldest first. */
    public List<String> reads() {
        return List.copyOf(reads);
    }
}
