package dev.contactfunctions.ledger;

import dev.contactfunctions.testsupport.LedgerSeeds;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.contactfunctions.testsupport.TestPseudonyms;

class LedgerProducerTest {

    final Clock clock = Clock.systemUTC();
    final InMemoryLedger inMemory = new InMemoryLedger(clock);

    @Test
    void withoutATableTheInMemoryLedgerServes() {
        Ledger produced = new LedgerProducer().ledger(config(Optional.empty(), Optional.empty()), inMemory, clock);

        assertThat(produced).isSameAs(inMemory);
    }

    @Test
    void aConfiguredTableSelectsTheDynamoDbLedgerAtTheConfiguredEndpoint() throws Exception {
        Optional<Dynalite> located = Dynalite.locate();
        Assumptions.assumeTrue(located.isPresent(), Dynalite.HOW_TO_GET_IT);
        try (Dynalite dynalite = located.get()) {
            String table = dynalite.createLedgerTable();
            LedgerConfig config = config(Optional.of(table), Optional.of(dynalite.endpoint()));

            Ledger produced = new LedgerProducer().ledger(config, inMemory, clock);
            try (DynamoDbLedger other = new DynamoDbLedger(dynalite.client(), table, clock, config.ttl())) {
                assertThat(produced).isInstanceOf(DynamoDbLedger.class);
                LedgerSeeds.remembered(produced, IdentityLedger.externalId(TestPseudonyms.LOCAL, "user-1"), "contact-9");

                assertThat(other.contactFor(IdentityLedger.externalId(TestPseudonyms.LOCAL, "user-1"))).contains("contact-9");
                assertThat(inMemory.contactFor(IdentityLedger.externalId(TestPseudonyms.LOCAL, "user-1"))).isEmpty();
            } finally {
                new LedgerProducer().close(produced);
            }
        }
    }

    static LedgerConfig config(Optional<String> table, Optional<URI> endpoint) {
        return new LedgerConfig() {
            @Override
            public Optional<String> table() {
                return table;
            }

            @Override
            public Optional<URI> endpoint() {
                return endpoint;
            }

            @Override
            public Duration ttl() {
                return Duration.ofHours(24);
            }

            @Override
            public Duration claimHold() {
                return Duration.ofSeconds(60);
            }

            @Override
            public Duration claimWait() {
                return Duration.ofSeconds(5);
            }

            @Override
            public Duration createSettle() {
                return Duration.ofMinutes(15);
            }
        };
    }
}
