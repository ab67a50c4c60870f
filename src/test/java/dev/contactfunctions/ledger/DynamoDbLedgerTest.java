package dev.contactfunctions.ledger;

import dev.contactfunctions.sandbox.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
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

    /**
     * DynamoDB carries out the count, but its answer is lost (a 500 in its place): the SDK sends the same update again.
     * The attempt is counted once.
     */
    @Test
    void anAttemptWhoseAnswerIsLostAndThatTheSdkRepeatsCountsOnce() {
        AtomicInteger lostAnswers = new AtomicInteger(1);
        ExecutionInterceptor losesTheFirstAnswer = new ExecutionInterceptor() {
            @Override
            public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context,
                    ExecutionAttributes attributes) {
                boolean countsAttempts = context.request() instanceof UpdateItemRequest update
                        && update.key().get("pk").s().startsWith("attempts#");
                return countsAttempts && lostAnswers.getAndDecrement() > 0
                        ? context.httpResponse().toBuilder().statusCode(500).build()
                        : context.httpResponse();
            }
        };
        try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(dynalite.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.addExecutionInterceptor(losesTheFirstAnswer)).build()) {
            DynamoDbLedger losing = new DynamoDbLedger(dynamo, table, clock, InMemoryLedger.TTL);

            assertThat(losing.countAttempt(deliveryId, "2")).isEqualTo(1);
            assertThat(lostAnswers.get()).as("one answer was lost and the SDK repeated the update").isNegative();
            assertThat(ledger.countAttempt(deliveryId, "3")).as("the next receive's attempt").isEqualTo(2);
        }
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
