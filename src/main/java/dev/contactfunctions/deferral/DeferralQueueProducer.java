package dev.contactfunctions.deferral;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import org.jboss.logging.Logger;

import io.quarkus.arc.DefaultBean;
import io.quarkus.runtime.LaunchMode;
import software.amazon.awssdk.services.sqs.SqsClient;

import dev.contactfunctions.invocation.AwsClients;

/**
 * The deferral queue the webhooks inject: SQS when {@code DEFERRAL_QUEUE_URL} is set; in the local run and tests the
 * in-memory queue. A deployed function without a queue URL refuses to defer (its webhooks answer 503 and the sender
 * retries) rather than keep deliveries in the memory of an instance that may vanish.
 */
public class DeferralQueueProducer {

    private static final Logger LOG = Logger.getLogger(DeferralQueueProducer.class);

    @Produces
    @ApplicationScoped
    @DefaultBean
    DeferralQueue deferralQueue(DeferralConfig config, InMemoryDeferralQueue inMemory) {
        return choose(config, inMemory, LaunchMode.current());
    }

    static DeferralQueue choose(DeferralConfig config, InMemoryDeferralQueue inMemory, LaunchMode mode) {
        if (config.queueUrl().isPresent()) {
            SqsClient sqs = AwsClients.build(SqsClient.builder(), config.endpoint());
            return new SqsDeferralQueue(sqs, config.queueUrl().get(), config.deadLetterQueueUrl());
        }
        if (mode == LaunchMode.NORMAL) {
            LOG.warn("DEFERRAL_QUEUE_URL is not set: deliveries that Intercom cannot take now are refused (503)"
                    + " instead of queued");
            return delivery -> {
                throw new DeferralException("No deferral queue is configured (DEFERRAL_QUEUE_URL)");
            };
        }
        return inMemory;
    }

    void close(@Disposes DeferralQueue queue) {
        if (queue instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.debug("deferral queue client did not close cleanly", e);
            }
        }
    }
}
