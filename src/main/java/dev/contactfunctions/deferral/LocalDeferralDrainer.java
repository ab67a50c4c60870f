package dev.contactfunctions.deferral;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The local run's stand-in for the SQS event source mapping: every {@code deferral.local-drain-interval} (set in the
 * dev profile) it drains the in-memory queue into the functions' processors. Never active with a real queue.
 */
@ApplicationScoped
class LocalDeferralDrainer {

    private static final Logger LOG = Logger.getLogger(LocalDeferralDrainer.class);

    private ScheduledExecutorService scheduler;

    void start(@Observes StartupEvent event, DeferralConfig config, InMemoryDeferralQueue queue,
            DeferredDeliveryConsumer consumer) {
        if (config.queueUrl().isPresent() || config.localDrainInterval().isEmpty()) {
            return;
        }
        long millis = config.localDrainInterval().get().toMillis();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "local-deferral-drainer");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                InMemoryDeferralQueue.DrainResult result = queue.drain(consumer);
                if (result.delivered() + result.retrying() + result.deadLettered() > 0) {
                    LOG.infof("local deferral queue drained: %s", result);
                }
            } catch (RuntimeException e) {
                LOG.warn("local deferral queue drain failed", e);
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
        LOG.infof("draining the in-memory deferral queue every %d ms", millis);
    }

    void stop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
