package dev.contactfunctions.ledger;

import dev.contactfunctions.sandbox.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The ledger contract against dynalite, a real DynamoDB-compatible server. */
class DynamoDbLedgerTest extends LedgerContractTest {

    static Dynalite dynalite;
    static String table;

    @BeforeAll
    static void freshTable() {
        dynalite = Dynalite.shared();
        table = dynalite.createLedgerTable();
    }

    @Override
    List<Ledger> instancesSharingOneStore(int count, MutableClock clock) {
        List<Ledger> ledgers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ledgers.add(new DynamoDbLedger(dynalite.client(), table, clock, InMemoryLedger.TTL));
        }
        return ledgers;
    }

    @Test
    void recordsCarryTheKeyStateContactAndTtlAttributesTheTemplateDeclares() {
        ledger.claim(identity, "delivery-a", HOLD);
        ledger.remember(identity, "contact-1");

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
