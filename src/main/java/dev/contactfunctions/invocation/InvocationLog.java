package dev.contactfunctions.invocation;

import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.MDC;

import com.amazonaws.services.lambda.runtime.Context;

/**
 * What every log line of an invocation carries besides its message (in AWS, fields of the JSON line under
 * {@code mdc}): the Lambda request id ({@code AWSRequestId}, the key Quarkus's own runtime loop uses), the function
 * and whether this is the instance's first invocation ({@code coldStart}).
 */
public final class InvocationLog implements AutoCloseable {

    public static final String REQUEST_ID = "AWSRequestId";
    public static final String FUNCTION = "function";
    public static final String COLD_START = "coldStart";
    private static final AtomicBoolean FIRST = new AtomicBoolean(true);

    private InvocationLog() {
    }

    /** Sets the fields until {@link #close()}; {@code context} may be null (a call from a test or a tool). */
    public static InvocationLog begin(String function, Context context) {
        if (context != null && context.getAwsRequestId() != null) {
            MDC.put(REQUEST_ID, context.getAwsRequestId());
        }
        MDC.put(FUNCTION, function);
        MDC.put(COLD_START, Boolean.toString(FIRST.getAndSet(false)));
        return new InvocationLog();
    }

    @Override
    public void close() {
        MDC.remove(FUNCTION);
        MDC.remove(COLD_START);
    }
}
