package dev.contactfunctions.reliability;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import dev.contactfunctions.deferral.ElasticMq;
import dev.contactfunctions.infra.DeployedTemplate;
import dev.contactfunctions.ledger.Dynalite;
import dev.contactfunctions.testsupport.ProductionTimeouts;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The lead-capture function as deployed: the Intercom timeouts and retry timings of template.yaml, its ledger on
 * DynamoDB (dynalite) and its deferral queue on SQS (ElasticMQ) with the template's redrive to a dead-letter queue.
 * The consumer's processor counts real attempts ({@link CountedDeliveries}).
 */
public class SlowBatchProfile implements QuarkusTestProfile {

    static final String FUNCTION = "LeadCaptureFunction";
    static final String QUEUE = "LeadCaptureDeferralQueue";

    private static ElasticMq.QueuePair queues;

    static synchronized ElasticMq.QueuePair queues() {
        if (queues == null) {
            queues = ScenarioServers.elasticMq().createFifoQueueWithDeadLetters("slow-batch",
                    DeployedTemplate.maxReceiveCount(QUEUE), 30);
        }
        return queues;
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Dynalite dynalite = ScenarioServers.dynalite();
        Map<String, String> overrides = new HashMap<>(ProductionTimeouts.of(FUNCTION));
        overrides.put("ledger.table", dynalite.createLedgerTable());
        overrides.put("ledger.endpoint", dynalite.endpoint().toString());
        overrides.put("deferral.queue-url", queues().queueUrl());
        overrides.put("deferral.dead-letter-queue-url", queues().deadLetterQueueUrl());
        overrides.put("deferral.endpoint", ScenarioServers.elasticMq().endpoint().toString());
        return overrides;
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(CountedDeliveries.class);
    }
}
