package dev.contactfunctions.ledger;

import dev.contactfunctions.sandbox.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The ledger contract against dynalite, a real DynamoDB-compatible server (started by .ci/run, or here). */
class DynamoDbLedgerTest extends LedgerContractTest {

    static Dynalite dynalite;
    static String table;

    @BeforeAll
    static void startDynalite() {
        Optional<Dynalite> located = Dynalite.locate();
        if (located.isPresent()) {
            dynalite = located.get();
            table = dynalite.createLedgerTable();
        }
    }

    @AfterAll
    static void stopDynalite() {
        if (dynalite != null) {
            dynalite.close();
        }
    }

    @Override
    List<Ledger> instancesSharingOneStore(int count, MutableClock clock) {
        // checked per test, so that each skipped test carries the reason
        Assumptions.assumeTrue(dynalite != null, Dynalite.HOW_TO_GET_IT);
        List<Ledger> ledgers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ledgers.add(new DynamoDbLedger(dynalite.client(), table, clock, InMemoryLedger.TTL));
        }
        return ledgers;
    }

    @Test
    void recordsCarryTheKeyStateContactAndTtlAttributesTheTemplateDeclares() {
        ledger.claim(identity, "delivery-a", HOLD);
        ledger.remember(identity, "delivery-a", "contact-1");
        ledger.release(identity, "delivery-a");

        try (DynamoDbClient dynamo = dynalite.client()) {
            Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                    .key(Map.of("pk", AttributeValue.fromS("identity#" + identity)))).item();

            assertThat(item.get("state").s()).isEqualTo("done");
            assertThat(item.get("contact_id").s()).isEqualTo("contact-1");
            assertThat(Long.parseLong(item.get("expires_at").n()))
                    .isEqualTo(clock.instant().plus(InMemoryLedger.TTL).getEpochSecond());
        }
    }

    @Test
    void aPendingClaimRecordNamesItsOwnerAndExpiresAfterTheHold() {
        ledger.claim(identity, "delivery-a", HOLD);

        try (DynamoDbClient dynamo = dynalite.client()) {
            Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                    .key(Map.of("pk", AttributeValue.fromS("identity#" + identity)))).item();

            assertThat(item.get("state").s()).isEqualTo("pending");
            assertThat(item.get("owner").s()).isEqualTo("delivery-a");
            assertThat(item).doesNotContainKey("contact_id");
            assertThat(Long.parseLong(item.get("expires_at").n()))
                    .isEqualTo(clock.instant().plus(HOLD).getEpochSecond());
        }
    }
}
