package dev.contactfunctions.invocation;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Builds AWS SDK clients the same way everywhere: the JDK's HTTP stack (fine in a native image), short timeouts
 * (the calls sit inside a webhook's response budget) cut to the invocation's remaining time ({@link BudgetedAwsCalls}),
 * and an optional endpoint override for local servers.
 */
public final class AwsClients {

    private static final Region LOCAL_REGION = Region.US_EAST_1;

    private AwsClients() {
    }

    /**
     * Configures a client builder. With an endpoint override (a local DynamoDB or SQS server) the region and
     * credentials fall back to placeholders when the environment has none, since local servers ignore them.
     */
    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder,
            Optional<URI> endpoint) {
        // SDK clients are built outside any invocation's budget (at start-up or on first use)
        builder.httpClientBuilder(UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(5)));
        builder.overrideConfiguration(c -> c.addExecutionInterceptor(new BudgetedAwsCalls()));
        endpoint.ifPresent(uri -> {
            builder.endpointOverride(uri);
            builder.region(regionOrLocal());
            builder.credentialsProvider(AwsCredentialsProviderChain.of(DefaultCredentialsProvider.builder().build(),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))));
        });
        return builder.build();
    }

    private static Region regionOrLocal() {
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkClientException e) {
            return LOCAL_REGION;
        }
    }
}
