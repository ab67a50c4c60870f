package dev.contactfunctions.audit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.jboss.logging.Logger;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.contactfunctions.intercom.CallBudget;
import dev.contactfunctions.invocation.InvocationDeadline;
import dev.contactfunctions.invocation.InvocationLog;
import dev.contactfunctions.invocation.JsonMapping;
import dev.contactfunctions.invocation.LogLine;
import dev.contactfunctions.invocation.MalformedEvent;

/**
 * The {@code segment-audit} function, run by an EventBridge Scheduler schedule. The schedule's input is a
 * scheduled-event JSON whose {@code detail} carries per-run overrides of the {@code audit.*} options (see
 * {@link AuditOverrides}); an empty detail runs with the configuration.
 */
@Named("segment-audit")
public class SegmentAuditHandler implements RequestStreamHandler {

    static final String FUNCTION = "segment-audit";

    private static final Logger LOG = Logger.getLogger(SegmentAuditHandler.class);

    @Inject
    SegmentAuditService service;
    @Inject
    AuditConfig config;
    @Inject
    CallBudget budget;
    @Inject
    Clock clock;

    /**
     * Reads the event itself (rather than as a typed handler) so that one it cannot read gets a short
     * {@link MalformedEvent} answer instead of a deserialization failure with its stack trace.
     */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ObjectMapper json = JsonMapping.lambdaEvents();
        Object answer;
        try (InvocationLog log = InvocationLog.begin(FUNCTION, context)) {
            answer = answer(json, input, context);
        }
        json.writeValue(output, answer);
    }

    private Object answer(ObjectMapper json, InputStream input, Context context) throws IOException {
        ScheduledEvent event;
        try {
            event = read(json, input);
        } catch (MalformedEvent.Exception e) {
            return MalformedEvent.answer(FUNCTION, e);
        }
        return audit(event, context);
    }

    private static ScheduledEvent read(ObjectMapper json, InputStream input) throws IOException, MalformedEvent.Exception {
        JsonNode event = MalformedEvent.readObject(json, input);
        try {
            return json.treeToValue(event, ScheduledEvent.class);
        } catch (JsonProcessingException e) {
            throw MalformedEvent.notA("a scheduled event", e);
        }
    }

    private AuditSummary audit(ScheduledEvent event, Context context) {
        AuditOptions options = AuditOptions.from(config).with(AuditOverrides.parse(event == null ? null : event.getDetail()));
        Duration remaining = remaining(context);
        LOG.infof("segment-audit: event %s from %s, %d s left", LogLine.quote(event == null ? null : event.getId()),
                LogLine.quote(event == null ? null : event.getSource()), remaining.toSeconds());
        try (InvocationDeadline.Scope scope = budget.open(remaining)) {
            return service.run(options, Deadline.at(clock, clock.instant().plus(remaining).minus(config.safetyMargin())));
        }
    }

    /** The invocation's remaining time; without a real deadline (the local run) a run gets Lambda's maximum. */
    static Duration remaining(Context context) {
        return InvocationDeadline.lambdaRemaining(context, InvocationDeadline.LONGEST_LAMBDA_RUN);
    }
}
