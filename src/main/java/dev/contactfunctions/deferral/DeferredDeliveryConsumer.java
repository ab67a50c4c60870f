package dev.contactfunctions.deferral;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;

/**
 * Turns a batch from the deferral queue into deliveries for the processors of their routes. A body that cannot be read
 * or names no known route is reported failed (never dropped): after the queue's receive limit it lands in the
 * dead-letter queue, whose alarm tells someone.
 */
@ApplicationScoped
public class DeferredDeliveryConsumer {

    private static final Logger LOG = Logger.getLogger(DeferredDeliveryConsumer.class);
    static final String RECEIVE_COUNT = "ApproximateReceiveCount";

    private final Map<String, DeferredDeliveryProcessor> processors = new HashMap<>();

    @Inject
    DeferredDeliveryConsumer(Instance<DeferredDeliveryProcessor> processors) {
        this(processors.stream().toList());
    }

    /** Public so that a test can give each of several service instances its own consumer. */
    public DeferredDeliveryConsumer(Iterable<DeferredDeliveryProcessor> processors) {
        for (DeferredDeliveryProcessor processor : processors) {
            DeferredDeliveryProcessor previous = this.processors.put(processor.route(), processor);
            if (previous != null) {
                throw new IllegalStateException("two processors for route " + processor.route());
            }
        }
    }

    public SQSBatchResponse consume(SQSEvent event) {
        return SqsBatches.process(event, this::handle);
    }

    private Disposition handle(SQSEvent.SQSMessage message) {
        DeferredDelivery delivery;
        try {
            delivery = DeferredDelivery.fromJson(message.getBody());
        } catch (IllegalArgumentException e) {
            LOG.errorf("message %s is not a deferred delivery (%s); it stays on the queue until it is dead-lettered",
                    message.getMessageId(), e.getMessage());
            return Disposition.RETRY;
        }
        DeferredDeliveryProcessor processor = processors.get(delivery.route());
        if (processor == null) {
            LOG.errorf("no processor for route %s of %s; it stays on the queue until it is dead-lettered",
                    delivery.route(), delivery);
            return Disposition.RETRY;
        }
        return processor.process(delivery.withAttempt(delivery.attempt() + receiveCount(message)));
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
