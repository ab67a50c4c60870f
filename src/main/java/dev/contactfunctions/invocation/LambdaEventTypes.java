package dev.contactfunctions.invocation;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The AWS event types the functions read and write with Jackson themselves. Their handlers are
 * {@code RequestStreamHandler}s (one webhook handler takes both the HTTP API and the SQS event; every handler answers a
 * malformed event itself), so Quarkus does not register
 * these types for a native image as it does for a typed {@code RequestHandler}'s input and output.
 */
@RegisterForReflection(targets = {
        APIGatewayV2HTTPEvent.class, APIGatewayV2HTTPEvent.RequestContext.class,
        APIGatewayV2HTTPEvent.RequestContext.Http.class, APIGatewayV2HTTPEvent.RequestContext.Authorizer.class,
        APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.class, APIGatewayV2HTTPEvent.RequestContext.IAM.class,
        APIGatewayV2HTTPEvent.RequestContext.CognitoIdentity.class, APIGatewayV2HTTPResponse.class,
        SQSEvent.class, SQSEvent.SQSMessage.class, SQSEvent.MessageAttribute.class,
        SQSBatchResponse.class, SQSBatchResponse.BatchItemFailure.class, ScheduledEvent.class })
public final class LambdaEventTypes {

    private LambdaEventTypes() {
    }
}
