package dev.contactfunctions.reliability;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import dev.contactfunctions.deferral.DeferredDelivery;
import dev.contactfunctions.deferral.DeferredDeliveryProcessor;
import dev.contactfunctions.deferral.Disposition;
import dev.contactfunctions.leadcapture.LeadCaptureDeliveries;
import dev.contactfunctions.sandbox.IntercomSandbox;

/**
 * The lead-capture processor of the queue consumer, counting the real attempts at Intercom of each delivery as the
 * sandbox sees them: a processing during which Intercom answered at least one call. Counted here, outside the code
 * under test, so that a scenario does not take the consumer's own count for granted. Enabled only by the profiles
 * that select it ({@code getEnabledAlternatives}); it then stands in for every processor of the consumer.
 */
@Alternative
@ApplicationScoped
public class CountedDeliveries implements DeferredDeliveryProcessor {

    private static volatile IntercomSandbox sandbox;
    private static final Map<String, Integer> REAL_ATTEMPTS = new ConcurrentHashMap<>();

    private final LeadCaptureDeliveries leads;

    CountedDeliveries(LeadCaptureDeliveries leads) {
        this.leads = leads;
    }

    /** Starts counting afresh, with the calls of this sandbox. */
    static void countWith(IntercomSandbox intercom) {
        sandbox = intercom;
        REAL_ATTEMPTS.clear();
    }

    static int realAttempts(String deliveryId) {
        return REAL_ATTEMPTS.getOrDefault(deliveryId, 0);
    }

    @Override
    public String route() {
        return leads.route();
    }

    @Override
    public Disposition process(DeferredDelivery delivery) {
        long before = sandbox.stats().total();
        try {
            return leads.process(delivery);
        } finally {
            if (sandbox.stats().total() > before) {
                REAL_ATTEMPTS.merge(delivery.deliveryId(), 1, Integer::sum);
            }
        }
    }
}
