package dev.contactfunctions.identity;

import java.time.Duration;

import jakarta.inject.Named;

import org.jboss.logging.Logger;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import dev.contactfunctions.deferral.DeferredDeliveryConsumer;
import dev.contactfunctions.deferral.WebhookAndQueueHandler;
import dev.contactfunctions.intercom.CallBudget;
import dev.contactfunctions.invocation.InvocationDeadline;
import dev.contactfunctions.webhook.ApiResponses;
import dev.contactfunctions.webhook.WebhookRequest;

/**
 * The {@code identify-merge} function: {@code POST /webhooks/identify} (the customer's app) and
 * {@code POST /webhooks/intercom} (Intercom notifications, answered within Intercom's 5 seconds). Routes by path,
 * bounds Intercom calls by the invocation's time, and logs one line per delivery. The same handler consumes the
 * function's deferral queue (an SQS event, see {@link WebhookAndQueueHandler}).
 */
@Named("identify-merge")
public class IdentifyMergeHandler extends WebhookAndQueueHandler {

    static final String IDENTIFY_PATH = "/webhooks/identify";
    static final String INTERCOM_PATH = "/webhooks/intercom";
    /** Longest a Lambda runs; a larger "remaining time" means the context does not know its deadline. */
    private static final Logger LOG = Logger.getLogger(IdentifyMergeHandler.class);

    private final IdentifyEndpoint identify;
    private final IntercomNotificationEndpoint notifications;
    private final Answers answers;
    private final CallBudget budget;
    private final IdentifyMergeConfig config;

    IdentifyMergeHandler(IdentifyEndpoint identify, IntercomNotificationEndpoint notifications, Answers answers,
            CallBudget budget, IdentifyMergeConfig config, DeferredDeliveryConsumer consumer) {
        super("identify-merge", consumer, budget);
        this.identify = identify;
        this.notifications = notifications;
        this.answers = answers;
        this.budget = budget;
        this.config = config;
    }

    @Override
    protected APIGatewayV2HTTPResponse handleWebhook(APIGatewayV2HTTPEvent event, Context context) {
        long started = System.nanoTime();
        String path = event.getRawPath() == null ? "" : event.getRawPath();
        // a stage other than $default prefixes the path with its name
        boolean identifyRoute = path.equals(IDENTIFY_PATH) || path.endsWith(IDENTIFY_PATH);
        boolean intercomRoute = path.equals(INTERCOM_PATH) || path.endsWith(INTERCOM_PATH);
        IdentifyMergeLogLine log = new IdentifyMergeLogLine(identifyRoute ? IDENTIFY_PATH : intercomRoute ? INTERCOM_PATH : "unknown");
        APIGatewayV2HTTPResponse response;
        if (!identifyRoute && !intercomRoute) {
            log.put("error", "unknown_route");
            response = ApiResponses.error(404, "unknown_route",
                    "This function serves POST " + IDENTIFY_PATH + " and POST " + INTERCOM_PATH, null);
        } else {
            Duration remaining = remaining(context);
            if (intercomRoute && remaining.compareTo(config.notificationBudget()) > 0) {
                remaining = config.notificationBudget();
            }
            try (InvocationDeadline.Scope scope = budget.open(remaining)) {
                WebhookRequest request = WebhookRequest.from(event);
                if (!"POST".equals(request.method())) {
                    log.put("error", "method_not_allowed");
                    response = ApiResponses.error(405, "method_not_allowed", "Only POST is accepted", null);
                } else {
                    response = identifyRoute ? identify.handle(request, log) : notifications.handle(request, log);
                }
            } catch (RuntimeException failure) {
                response = answers.failure(failure, log);
            }
        }
        log.line(response.getStatusCode(), (System.nanoTime() - started) / 1_000_000).info(LOG);
        return response;
    }

    private Duration remaining(Context context) {
        return InvocationDeadline.lambdaRemaining(context, config.budgetWithoutDeadline());
    }
}
