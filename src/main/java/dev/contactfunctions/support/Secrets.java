package dev.contactfunctions.support;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Reads secrets from AWS Secrets Manager, once per warm instance. The SDK client uses the JDK's HTTP stack (fine in
 * a native image) and is created only when a secret is first asked for, so local runs need no AWS account.
 */
@ApplicationScoped
public class Secrets {

    private final Map<String, String> cache = new ConcurrentHashMap<>();
    private volatile SecretsManagerClient client;

    public String read(String secretArn) {
        return cache.computeIfAbsent(secretArn, arn -> client().getSecretValue(r -> r.secretId(arn)).secretString());
    }

    private SecretsManagerClient client() {
        if (client == null) {
            synchronized (this) {
                if (client == null) {
                    client = AwsClients.build(SecretsManagerClient.builder(), Optional.empty());
                }
            }
        }
        return client;
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close();
        }
    }
}
