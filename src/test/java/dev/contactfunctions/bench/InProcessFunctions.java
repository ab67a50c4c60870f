package dev.contactfunctions.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.amazon.lambda.runtime.AmazonLambdaMapperRecorder;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;

/** The functions' handler beans, invoked in the test's Quarkus the way the Lambda runtime invokes them. */
final class InProcessFunctions {

    private InProcessFunctions() {
    }

    /** The {@code @Named} handler bean (lead-capture, identify-merge, segment-audit). */
    static Object handler(String name) {
        InstanceHandle<Object> handle = Arc.container().instance(name);
        if (!handle.isAvailable()) {
            throw new IllegalStateException("No handler named " + name + " in this build");
        }
        return handle.get();
    }

    /**
     * One invocation as Quarkus's Lambda runtime makes it: a stream handler (the webhook functions, which also take
     * their queue's batches) gets the event's bytes and writes its answer; a typed handler gets the event read into
     * its input type with Quarkus's Lambda ObjectMapper, and its result is written as JSON.
     */
    @SuppressWarnings("unchecked")
    static byte[] invoke(Object handler, Class<?> inputType, byte[] event, Context context) {
        try {
            if (handler instanceof RequestStreamHandler stream) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                stream.handleRequest(new ByteArrayInputStream(event), out, context);
                return out.toByteArray();
            }
            ObjectMapper mapper = AmazonLambdaMapperRecorder.objectMapper;
            if (mapper == null) {
                throw new IllegalStateException("Quarkus's Lambda ObjectMapper is not set up: is this a @QuarkusTest?");
            }
            Object input = mapper.readValue(event, inputType);
            return mapper.writeValueAsBytes(((RequestHandler<Object, ?>) handler).handleRequest(input, context));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An API Gateway answer's status, read from the JSON the runtime would send. */
    static int statusOf(byte[] response) {
        try {
            JsonNode answer = BenchEvents.JSON.readTree(response);
            return answer.path("statusCode").asInt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
