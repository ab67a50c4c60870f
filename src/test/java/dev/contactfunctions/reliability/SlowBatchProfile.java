package dev.contactfunctions.reliability;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.contactfunctions.deferral.ElasticMq;
import dev.contactfunctions.infra.DeployedTemplate;
import dev.contactfunctions.ledger.Dynalite;
import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.MutableClock;
import dev.contactfunctions.testsupport.ProductionTimeouts;
import dev.contactfunctions.testsupport.TickingClockSandboxResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
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
            queues = ElasticMq.shared().createFifoQueueWithDeadLetters("slow-batch",
                    DeployedTemplate.maxReceiveCount(QUEUE), 30);
        }
        return queues;
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return ProductionTimeouts.of(FUNCTION);
    }

    /** The servers start with the application, not when the test classes are discovered. */
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(LedgerAndQueues.class));
    }

    /** A fresh ledger table on dynalite, the queue pair on ElasticMQ. */
    public static class LedgerAndQueues implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            Dynalite dynalite = Dynalite.shared();
            return Map.of(
                    "ledger.table", dynalite.createLedgerTable(),
                    "ledger.endpoint", dynalite.endpoint().toString(),
                    "deferral.queue-url", queues().queueUrl(),
                    "deferral.dead-letter-queue-url", queues().deadLetterQueueUrl(),
                    "deferral.endpoint", ElasticMq.shared().endpoint().toString());
        }

        @Override
        public void stop() {
        }
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(CountedDeliveries.class, ApplicationOnTheSandboxClock.class);
    }

    /**
     * The Intercom sandbox on a ticking {@link MutableClock}, handed to the application as its clock
     * ({@link ApplicationOnTheSandboxClock}): Intercom's slowness is played on that clock
     * ({@link IntercomSandbox#setClockLatency}), and the invocation's deadline runs on it too.
     */
    public static class SandboxOnItsClock extends TickingClockSandboxResource {

        @Override
        protected Map<String, String> start(IntercomSandbox started) {
            ApplicationOnTheSandboxClock.handOver(started);
            return super.start(started);
        }
    }
}
