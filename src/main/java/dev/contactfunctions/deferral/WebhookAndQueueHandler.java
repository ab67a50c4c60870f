package dev.contactfunctions.deferral;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import dev.contactfunctions.intercom.CallBudget;
import dev.contactfunctions.invocation.InvocationDeadline;
import dev.contactfunctions.invocation.InvocationLog;
import dev.contactfunctions.invocation.JsonMapping;
import dev.contactfunctions.invocation.MalformedEvent;

/**
 * The Lambda entry of a webhook function that also consumes its own deferral queue: one {@code @Named} handler per
 * function (one SAM function, one {@code QUARKUS_LAMBDA_HANDLER}) that takes both event shapes. A batch from SQS
 * ({@code Records} with {@code eventSource "aws:sqs"}) goes to the {@link DeferredDeliveryConsumer} and is answered
 * with a partial batch response; anything else is read as an API Gateway HTTP API (payload 2.0) event for the webhook.
 * Both run inside the invocation's Intercom call budget.
 */
public abstract class WebhookAndQueueHandler implements RequestStreamHandler {

    private final String function;
    private final DeferredDeliveryConsumer consumer;
    private final CallBudget budget;

    /** {@code function}: the handler's name, as in logs ({@code lead-capture}, {@code identify-merge}). */
    protected WebhookAndQueueHandler(String function, DeferredDeliveryConsumer consumer, CallBudget budget) {
        this.function = function;
        this.consumer = consumer;
        this.budget = budget;
    }

    /** Answers one webhook request; never throws for a bad request (that is a 4xx answer). */
    protected abstract APIGatewayV2HTTPResponse handleWebhook(APIGatewayV2HTTPEvent event, Context context);

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Object answer;
        try (InvocationLog log = InvocationLog.begin(function, context)) {
            JsonNode event = MalformedEvent.readObject(JsonMapping.lambdaEvents(), input);
            answer = isQueueBatch(event) ? consume(read(event, SQSEvent.class, "an SQS batch"), context)
                    : handleWebhook(read(event, APIGatewayV2HTTPEvent.class, "an API Gateway HTTP API event"), context);
        } catch (MalformedEvent.Exception e) {
            answer = MalformedEvent.answer(function, e);
        }
        JsonMapping.lambdaEvents().writeValue(output, answer);
    }

    private static <T> T read(JsonNode event, Class<T> type, String description) throws MalformedEvent.Exception {
        try {
            return JsonMapping.lambdaEvents().treeToValue(event, type);
        } catch (JsonProcessingException e) {
            throw MalformedEvent.notA(description, e);
        }
    }

    private SQSBatchResponse consume(SQSEvent batch, Context context) {
        try (InvocationDeadline.Scope scope = openBudget(context)) {
            return consumer.consume(batch);
        }
    }

    static boolean isQueueBatch(JsonNode event) {
        JsonNode records = event == null ? null : event.get("Records");
        return records != null && records.isArray() && !records.isEmpty()
                && "aws:sqs".equals(records.get(0).path("eventSource").asText());
    }

    /** The invocation's call budget, from the Lambda's remaining time. */
    protected InvocationDeadline.Scope openBudget(Context context) {
        return budget.openFor(context);
    }
}
