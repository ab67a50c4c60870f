package dev.contactfunctions.ledger;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import org.jboss.logging.Logger;

import io.quarkus.arc.DefaultBean;
import io.quarkus.runtime.LaunchMode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import dev.contactfunctions.invocation.AwsClients;

/**
 * The ledger every function injects (as {@link IdentityLedger}, {@link DeliveryLedger} or {@link Ledger}): the
 * DynamoDB table named by {@code LEDGER_TABLE}, else the in-memory ledger of this instance.
 */
public class LedgerProducer {

    private static final Logger LOG = Logger.getLogger(LedgerProducer.class);

    @Produces
    @ApplicationScoped
    @DefaultBean
    Ledger ledger(LedgerConfig config, InMemoryLedger inMemory, Clock clock) {
        if (config.table().isPresent()) {
            DynamoDbClient dynamo = AwsClients.build(DynamoDbClient.builder(), config.endpoint());
            return new DynamoDbLedger(dynamo, config.table().get(), clock, config.ttl());
        }
        if (LaunchMode.current() == LaunchMode.NORMAL) {
            LOG.warn("LEDGER_TABLE is not set: identities and deliveries are remembered by this instance only,"
                    + " so concurrent deliveries on other instances may still create duplicates");
        }
        return inMemory;
    }

    void close(@Disposes Ledger ledger) {
        if (ledger instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.debug("ledger client did not close cleanly", e);
            }
        }
    }
}
