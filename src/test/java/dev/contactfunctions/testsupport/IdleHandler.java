package dev.contactfunctions.testsupport;

import java.util.Map;

import jakarta.inject.Named;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/**
 * The Lambda handler of test runs that exercise beans rather than a function (the Intercom client tests): it answers
 * its input. Selected by {@code %test.quarkus.lambda.handler=idle}; handler tests pick their own with a test profile.
 * Test code only, so never part of {@code target/function.zip}.
 */
@Named(IdleHandler.NAME)
public class IdleHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    public static final String NAME = "idle";

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        return input;
    }
}
