package dev.contactfunctions.deferral;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;

import dev.contactfunctions.intercom.CallBudget;
import dev.contactfunctions.invocation.LogLine;

/**
 * Turns a batch from the deferral queue into deliveries for the processors of their routes. The batch shares one
 * invocation, so each message is started only while the invocation's remaining time covers one full Intercom attempt
 * ({@link CallBudget#coversFullAttempt()}); the others go back untried, to come back soon, and no attempt is counted
 * for them. A message whose real attempts reach {@code deferral.max-attempts}, or that can never be processed
 * (unreadable, no route), is sent to the dead-letter queue by the consumer itself and dropped: SQS counts every
 * receive, tried or not, so the queue's own redrive count is only a high backstop.
 */
@ApplicationScoped
public class DeferredDeliveryConsumer {

    private static final Logger LOG = Logger.getLogger(DeferredDeliveryConsumer.class);
    static final String RECEIVE_COUNT = "ApproximateReceiveCount";

    private final Map<String, DeferredDeliveryProcessor> processors = new HashMap<>();
    private final CallBudget budget;
    private final DeferralQueue queue;
    private final int maxAttempts;
    private final Duration notAttemptedReturn;

    @Inject
    DeferredDeliveryConsumer(Instance<DeferredDeliveryProcessor> processors, CallBudget budget, DeferralQueue queue,
            DeferralConfig config) {
        this(processors.stream().toList(), budget, queue, config.maxAttempts(), config.notAttemptedReturn());
    }

    /**
     * Public so that a test can give each of several service instances its own consumer.
     *
     * @param budget the invocation budget that decides whether a message is started (null: always started)
     * @param queue  where messages are returned early or dead-lettered (null: left to the queue's own timeouts)
     */
    public DeferredDeliveryConsumer(Iterable<DeferredDeliveryProcessor> processors, CallBudget budget,
            DeferralQueue queue, int maxAttempts, Duration notAttemptedReturn) {
        for (DeferredDeliveryProcessor processor : processors) {
            DeferredDeliveryProcessor previous = this.processors.put(processor.route(), processor);
            if (previous != null) {
                throw new IllegalStateException("two processors for route " + processor.route());
            }
        }
        this.budget = budget;
        this.queue = queue == null ? delivery -> {
            throw new UnsupportedOperationException("the consumer does not enqueue");
        } : queue;
        this.maxAttempts = maxAttempts;
        this.notAttemptedReturn = notAttemptedReturn;
    }

    /** Every message started, none dead-lettered by the consumer: for tests of the processors alone. */
    public DeferredDeliveryConsumer(Iterable<DeferredDeliveryProcessor> processors) {
        this(processors, null, null, Integer.MAX_VALUE, Duration.ZERO);
    }

    public SQSBatchResponse consume(SQSEvent event) {
        return SqsBatches.process(event, message -> settle(message, handle(message)));
    }

    private Disposition handle(SQSEvent.SQSMessage message) {
        DeferredDelivery delivery;
        try {
            delivery = DeferredDelivery.fromJson(message.getBody());
        } catch (IllegalArgumentException e) {
            LOG.errorf("message %s is not a deferred delivery (%s); it goes to the dead-letter queue",
                    message.getMessageId(), LogLine.quote(e.getMessage()));
            return Disposition.DEAD_LETTER;
        }
        DeferredDeliveryProcessor processor = processors.get(delivery.route());
        if (processor == null) {
            LOG.errorf("no processor for route %s of %s; it goes to the dead-letter queue", LogLine.quote(delivery.route()),
                    delivery);
            return Disposition.DEAD_LETTER;
        }
        if (budget != null && !budget.coversFullAttempt()) {
            LOG.infof("%s not started: %d ms left in this invocation, a full attempt takes %d ms; it comes back"
                    + " untried", delivery, budget.remaining().toMillis(), budget.fullAttempt().toMillis());
            return Disposition.notAttempted(notAttemptedReturn);
        }
        return processor.process(delivery.withAttempt(delivery.attempt() + receiveCount(message)));
    }

    /** Carries a disposition out on the queue; answers what the batch response reports. */
    private Disposition settle(SQSEvent.SQSMessage message, Disposition disposition) {
        boolean spent = disposition.kind() == Disposition.Kind.RETRY && disposition.realAttempts() >= maxAttempts;
        if (disposition.kind() == Disposition.Kind.DEAD_LETTER || spent) {
            if (queue.deadLetter(message)) {
                LOG.errorf("message %s dead-lettered after %d real attempts", message.getMessageId(),
                        disposition.realAttempts());
                return Disposition.DONE;
            }
            return Disposition.RETRY;
        }
        disposition.comesBackAfter().ifPresent(delay -> queue.returnAfter(message, delay));
        return disposition;
    }

    private static int receiveCount(SQSEvent.SQSMessage message) {
        String count = message.getAttributes() == null ? null : message.getAttributes().get(RECEIVE_COUNT);
        try {
            return count == null ? 1 : Math.max(1, Integer.parseInt(count));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
