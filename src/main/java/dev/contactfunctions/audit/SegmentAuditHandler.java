package dev.contactfunctions.audit;

import java.time.Clock;
import java.time.Duration;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.jboss.logging.Logger;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;

import dev.contactfunctions.intercom.CallBudget;
import dev.contactfunctions.support.InvocationLog;

/**
 * The {@code segment-audit} function, run by an EventBridge Scheduler schedule. The schedule's input is a
 * scheduled-event JSON whose {@code detail} carries per-run overrides of the {@code audit.*} options (see
 * {@link AuditOverrides}); an empty detail runs with the configuration.
 */
@Named("segment-audit")
public class SegmentAuditHandler implements RequestHandler<ScheduledEvent, AuditSummary> {

    private static final Logger LOG = Logger.getLogger(SegmentAuditHandler.class);

    @Inject
    SegmentAuditService service;
    @Inject
    AuditConfig config;
    @Inject
    CallBudget budget;
    @Inject
    Clock clock;

    @Override
    public AuditSummary handleRequest(ScheduledEvent event, Context context) {
        try (InvocationLog log = InvocationLog.begin("segment-audit", context)) {
            return audit(event, context);
        }
    }

    private AuditSummary audit(ScheduledEvent event, Context context) {
        AuditOptions options = AuditOptions.from(config).with(AuditOverrides.parse(event == null ? null : event.getDetail()));
        Duration remaining = remaining(context);
        LOG.infof("segment-audit: event %s from %s, %d s left", event == null ? null : event.getId(),
                event == null ? null : event.getSource(), remaining.toSeconds());
        try (CallBudget.Scope scope = budget.open(remaining)) {
            return service.run(options, Deadline.at(clock, clock.instant().plus(remaining).minus(config.safetyMargin())));
        }
    }

    /** The invocation's remaining time; without a real deadline (the local run) a run gets Lambda's maximum. */
    static Duration remaining(Context context) {
        return CallBudget.lambdaRemaining(context, CallBudget.LONGEST_LAMBDA_RUN);
    }
}
