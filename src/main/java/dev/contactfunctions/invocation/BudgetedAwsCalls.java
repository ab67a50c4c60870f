package dev.contactfunctions.invocation;

import java.time.Duration;
import java.util.Optional;

import software.amazon.awssdk.awscore.AwsRequest;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Bounds every AWS call made inside an invocation by {@link InvocationDeadline#awsCallLimit()}: the request's API call
 * timeout (all its attempts) and attempt timeout are set to what is left before the reserve to answer, so that no
 * DynamoDB, SQS, Secrets Manager or S3 call outlives the invocation. With nothing left the call fails at once.
 */
final class BudgetedAwsCalls implements ExecutionInterceptor {

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        Optional<Duration> limit = InvocationDeadline.awsCallLimit();
        if (limit.isEmpty() || !(context.request() instanceof AwsRequest request)) {
            return context.request();
        }
        if (limit.get().toMillis() < 1) {
            throw SdkClientException.create("No time left in this invocation for an AWS call");
        }
        AwsRequestOverrideConfiguration.Builder override = request.overrideConfiguration()
                .map(AwsRequestOverrideConfiguration::toBuilder)
                .orElseGet(AwsRequestOverrideConfiguration::builder);
        Duration callTimeout = shorter(override.apiCallTimeout(), limit.get());
        Duration attemptTimeout = shorter(override.apiCallAttemptTimeout(), callTimeout);
        return request.toBuilder()
                .overrideConfiguration(override.apiCallTimeout(callTimeout).apiCallAttemptTimeout(attemptTimeout)
                        .build())
                .build();
    }

    private static Duration shorter(Duration configured, Duration limit) {
        return configured == null || configured.compareTo(limit) > 0 ? limit : configured;
    }
}
