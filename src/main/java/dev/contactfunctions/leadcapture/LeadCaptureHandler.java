package dev.contactfunctions.leadcapture;

import java.util.Arrays;
import java.util.Optional;

import jakarta.inject.Named;

import org.jboss.logging.Logger;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import dev.contactfunctions.deferral.DeferredDeliveryConsumer;
import dev.contactfunctions.deferral.WebhookAndQueueHandler;
import dev.contactfunctions.intercom.CallBudget;
import dev.contactfunctions.invocation.InvocationDeadline;
import dev.contactfunctions.webhook.WebhookException;
import dev.contactfunctions.webhook.WebhookRequest;

/**
 * The {@code lead-capture} function: {@code POST /webhooks/leads} ({@link LeadEndpoint}) and the form tools' own
 * webhooks, {@code POST /webhooks/leads/typeform}, {@code /tally} and {@code /webflow} ({@link FormToolEndpoint}).
 * Routes by path, bounds Intercom calls by the invocation's time, hands failures to {@link LeadAnswers} and logs one
 * line per delivery ({@link LeadCaptureLogLine}). The same handler consumes the function's deferral queue (an SQS event, see
 * {@link WebhookAndQueueHandler}).
 */
@Named("lead-capture")
public class LeadCaptureHandler extends WebhookAndQueueHandler {

    static final String LEADS_PATH = "/webhooks/leads";
    private static final Logger LOG = Logger.getLogger(LeadCaptureHandler.class);

    private final LeadEndpoint leads;
    private final FormToolEndpoint formTools;
    private final LeadAnswers answers;

    LeadCaptureHandler(LeadEndpoint leads, FormToolEndpoint formTools, LeadAnswers answers, CallBudget budget,
            DeferredDeliveryConsumer consumer) {
        super("lead-capture", consumer, budget);
        this.leads = leads;
        this.formTools = formTools;
        this.answers = answers;
    }

    @Override
    protected APIGatewayV2HTTPResponse handleWebhook(APIGatewayV2HTTPEvent event, Context context) {
        long started = System.nanoTime();
        LeadCaptureLogLine log = new LeadCaptureLogLine();
        APIGatewayV2HTTPResponse response;
        try (InvocationDeadline.Scope scope = openBudget(context)) {
            WebhookRequest request = WebhookRequest.from(event);
            if (request.method() != null && !"POST".equals(request.method())) {
                throw new WebhookException(405, "method_not_allowed", "Only POST is accepted");
            }
            String path = event.getRawPath() == null ? "" : event.getRawPath();
            Optional<FormSource> source = FormSource.ofPath(path);
            if (source.isPresent()) {
                response = formTools.handle(source.get(), request, log);
            } else if (path.contains(FormSource.PATH_PREFIX)) {
                throw new WebhookException(404, "unknown_route", "This function serves POST " + LEADS_PATH + " and "
                        + Arrays.stream(FormSource.values()).map(FormSource::path).toList());
            } else {
                response = leads.handle(request, log);
            }
        } catch (RuntimeException failure) {
            response = answers.failure(failure, log);
        }
        log.line(response.getStatusCode(), (System.nanoTime() - started) / 1_000_000).info(LOG);
        return response;
    }
}
