package dev.contactfunctions.bench;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
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
    @SuppressWarnings("unchecked")
    static <I, O> RequestHandler<I, O> handler(String name) {
        InstanceHandle<Object> handle = Arc.container().instance(name);
        if (!handle.isAvailable()) {
            throw new IllegalStateException("No handler named " + name + " in this build");
        }
        return (RequestHandler<I, O>) handle.get();
    }

    /**
     * One invocation as Quarkus's Lambda runtime makes it: the event's JSON read into the handler's input type with
     * Quarkus's Lambda ObjectMapper, the handler called, its result written as JSON.
     */
    static <I> byte[] invoke(RequestHandler<I, ?> handler, Class<I> inputType, byte[] event, Context context) {
        ObjectMapper mapper = AmazonLambdaMapperRecorder.objectMapper;
        if (mapper == null) {
            throw new IllegalStateException("Quarkus's Lambda ObjectMapper is not set up: is this a @QuarkusTest?");
        }
        try {
            I input = mapper.readValue(event, inputType);
            return mapper.writeValueAsBytes(handler.handleRequest(input, context));
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
