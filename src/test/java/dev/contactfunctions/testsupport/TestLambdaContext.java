package dev.contactfunctions.testsupport;

import java.time.Duration;
import java.util.function.LongSupplier;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

/**
 * The Lambda context of an invocation outside Lambda: a request id, a function name and a deadline, as a real
 * invocation has. The tests' one fake context; it depends on the JDK and Lambda's core interfaces alone, so that the
 * benchmark's bootstrap ({@code LambdaJvmBootstrap}) runs with it beside the packaged application.
 */
public final class TestLambdaContext implements Context {

    private final String awsRequestId;
    private final String functionName;
    private final LongSupplier remainingMillis;

    /** An in-process invocation with {@code remaining} before its deadline, whenever it is asked. */
    public TestLambdaContext(String functionName, Duration remaining) {
        this("test", functionName, remaining::toMillis);
    }

    private TestLambdaContext(String awsRequestId, String functionName, LongSupplier remainingMillis) {
        this.awsRequestId = awsRequestId;
        this.functionName = functionName;
        this.remainingMillis = remainingMillis;
    }

    /** An invocation the Runtime API handed out: its id, and its deadline in epoch milliseconds. */
    public static TestLambdaContext untilDeadline(String awsRequestId, String functionName, long deadlineMillis) {
        return new TestLambdaContext(awsRequestId, functionName,
                () -> Math.max(0, deadlineMillis - System.currentTimeMillis()));
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) remainingMillis.getAsLong();
    }

    @Override
    public String getAwsRequestId() {
        return awsRequestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "test";
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:eu-west-1:123456789012:function:" + functionName;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getMemoryLimitInMB() {
        return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
        return null;
    }
}
