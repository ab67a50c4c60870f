package dev.contactfunctions.ledger;

import static dev.contactfunctions.ledger.LedgerTable.ATTEMPTS_COUNT;
import static dev.contactfunctions.ledger.LedgerTable.CONTACT_ID;
import static dev.contactfunctions.ledger.LedgerTable.CREATE_SINCE;
import static dev.contactfunctions.ledger.LedgerTable.EXPIRES_AT;
import static dev.contactfunctions.ledger.LedgerTable.HELD_UNTIL;
import static dev.contactfunctions.ledger.LedgerTable.MERGE_LEAD;
import static dev.contactfunctions.ledger.LedgerTable.OUTCOME;
import static dev.contactfunctions.ledger.LedgerTable.OWNER;
import static dev.contactfunctions.ledger.LedgerTable.PK;
import static dev.contactfunctions.ledger.LedgerTable.attemptsKey;
import static dev.contactfunctions.ledger.LedgerTable.deliveryKey;
import static dev.contactfunctions.ledger.LedgerTable.epochSeconds;
import static dev.contactfunctions.ledger.LedgerTable.identityKey;
import static dev.contactfunctions.ledger.LedgerTable.item;
import static dev.contactfunctions.ledger.LedgerTable.nowValue;
import static dev.contactfunctions.ledger.LedgerTable.state;
import static dev.contactfunctions.ledger.LedgerTable.stateValue;
import static dev.contactfunctions.ledger.LedgerTable.string;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The ledger in one DynamoDB table: partition key {@code pk} (string), {@code identity#<identity>} or
 * {@code delivery#<delivery id>}; attributes {@code state} (pending, queued, done), {@code contact_id} or
 * {@code outcome}, {@code owner} of an identity claim, and {@code expires_at} (epoch seconds, the table's TTL
 * attribute). An identity record with a create intent also has {@code create_since} (epoch milliseconds) and
 * {@code held_until} (epoch seconds, the end of the pending claim's hold, while {@code expires_at} keeps the record
 * for the ledger's TTL); its state is pending or unsettled. A remembered contact (done) that a delivery holds has
 * {@code owner} and {@code held_until} too, and one a lead is being merged into has {@code merge_lead}. DynamoDB
 * deletes expired items only eventually, so every read and condition also compares {@code expires_at} with now. The
 * real attempts at a queued delivery are counted under {@code attempts#<delivery id>} (attributes {@code attempts}
 * and {@code last_receive}, the receive counted last), apart from the delivery record that every state change
 * rewrites. All reads are strongly consistent; claims are conditional puts (the idempotency-record
 * pattern), never a lock service.
 */
public final class DynamoDbLedger implements Ledger, AutoCloseable {

    private static final String FREE = "attribute_not_exists(#pk) OR #expires_at < :now";
    /** Claimed by the owner, whether or not its hold has run out (nobody else has taken it over). */
    private static final String HELD = "#owner = :owner";
    private static final String HELD_BY_OWNER = HELD + " AND #state = :pending";
    /** Claimed by the owner and its hold still running (a pending claim without intent holds until it expires). */
    private static final String LIVE_HOLD = HELD + " AND ((attribute_not_exists(#held_until) AND #expires_at >= :now)"
            + " OR #held_until >= :now)";
    /** A record with a create intent that a claim takes over, keeping the intent. */
    private static final String UNSETTLED = "attribute_exists(#create_since) AND #expires_at >= :now AND (#state ="
            + " :unsettled OR #held_until < :now OR (" + HELD_BY_OWNER + "))";
    // a record can vanish between a failed condition and the read that explains it (released, or deleted by TTL)
    private static final int ATTEMPTS = 3;

    private final LedgerTable table;
    private final Clock clock;
    private final Duration ttl;

    public DynamoDbLedger(DynamoDbClient dynamo, String table, Clock clock, Duration ttl) {
        this.table = new LedgerTable(dynamo, table, clock);
        this.clock = clock;
        this.ttl = ttl;
    }

    /** The table as the template declares it (without TTL and recovery settings): for tests and local servers. */
    public static CreateTableRequest tableDefinition(String table) {
        return CreateTableRequest.builder()
                .tableName(table)
                .attributeDefinitions(AttributeDefinition.builder().attributeName(PK)
                        .attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .build();
    }

    @Override
    public Optional<String> contactFor(String identity) {
        return table.read(identityKey(identity)).filter(item -> state(item) == RecordState.DONE)
                .map(item -> string(item, CONTACT_ID));
    }

    @Override
    public Claim claim(String identity, String owner, Duration hold) {
        String pk = identityKey(identity);
        for (int attempt = 1; ; attempt++) {
            Instant now = clock.instant();
            Map<String, AttributeValue> item = item(pk, RecordState.PENDING, now.plus(hold));
            item.put(OWNER, AttributeValue.fromS(owner));
            item.put(HELD_UNTIL, epochSeconds(now.plus(hold)));
            Map<String, AttributeValue> values = Map.of(":owner", AttributeValue.fromS(owner), ":pending",
                    stateValue(RecordState.PENDING));
            if (table.putIf(item, FREE + " OR (attribute_not_exists(#create_since) AND " + HELD_BY_OWNER + ")", now,
                    values)) {
                return Claim.won();
            }
            Optional<Claim> takenOver = takeOverRemembered(pk, owner, now, now.plus(hold))
                    .or(() -> takeOverUnsettled(pk, owner, now, now.plus(hold)));
            if (takenOver.isPresent()) {
                return takenOver.get();
            }
            if (table.read(pk).isPresent() || attempt == ATTEMPTS) {
                return Claim.held();
            }
        }
    }

    @Override
    public boolean remember(String identity, String owner, String contactId) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":owner", AttributeValue.fromS(owner));
        values.put(":done", stateValue(RecordState.DONE));
        values.put(":contact", AttributeValue.fromS(contactId));
        values.put(":keep", epochSeconds(clock.instant().plus(ttl)));
        return table.updateIf(identityKey(identity), "SET #state = :done, #contact_id = :contact, #expires_at = :keep"
                + " REMOVE #create_since, #merge_lead", HELD, values).isPresent();
    }

    @Override
    public void release(String identity, String owner) {
        String pk = identityKey(identity);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":owner", AttributeValue.fromS(owner));
        values.put(":done", stateValue(RecordState.DONE));
        if (table.updateIf(pk, "REMOVE #owner, #held_until", HELD + " AND #state = :done", values).isPresent()) {
            return;
        }
        values.remove(":done");
        values.put(":pending", stateValue(RecordState.PENDING));
        if (!table.deleteIf(pk, HELD_BY_OWNER + " AND attribute_not_exists(#create_since)", values)) {
            values.put(":unsettled", stateValue(RecordState.UNSETTLED));
            table.updateIf(pk, "SET #state = :unsettled REMOVE #owner, #held_until",
                    HELD_BY_OWNER + " AND attribute_exists(#create_since)", values);
        }
    }

    @Override
    public void forget(String identity, String owner) {
        table.deleteIf(identityKey(identity), HELD, Map.of(":owner", AttributeValue.fromS(owner)));
    }

    @Override
    public boolean intendCreate(String identity, String owner, Instant since, Duration hold) {
        Instant now = clock.instant();
        Map<String, AttributeValue> values = liveHoldValues(owner, now);
        values.put(":pending", stateValue(RecordState.PENDING));
        values.put(":since", AttributeValue.fromN(Long.toString(since.toEpochMilli())));
        values.put(":held", epochSeconds(now.plus(hold)));
        values.put(":keep", epochSeconds(since.plus(ttl)));
        return table.updateIf(identityKey(identity), "SET #state = :pending, #create_since = :since,"
                + " #held_until = :held, #expires_at = :keep REMOVE #contact_id, #merge_lead", LIVE_HOLD, values)
                .isPresent();
    }

    @Override
    public boolean intendMerge(String identity, String owner, String leadId, String userId, Duration hold) {
        Instant now = clock.instant();
        Map<String, AttributeValue> values = liveHoldValues(owner, now);
        values.put(":done", stateValue(RecordState.DONE));
        values.put(":user", AttributeValue.fromS(userId));
        values.put(":lead", AttributeValue.fromS(leadId));
        values.put(":held", epochSeconds(now.plus(hold)));
        values.put(":keep", epochSeconds(now.plus(ttl)));
        return table.updateIf(identityKey(identity), "SET #state = :done, #contact_id = :user, #merge_lead = :lead,"
                + " #held_until = :held, #expires_at = :keep REMOVE #create_since", LIVE_HOLD, values).isPresent();
    }

    private static Map<String, AttributeValue> liveHoldValues(String owner, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":owner", AttributeValue.fromS(owner));
        values.put(":now", nowValue(now));
        return values;
    }

    /** Claims a remembered contact that nobody holds (or whose holder's hold ran out, or that owner holds). */
    private Optional<Claim> takeOverRemembered(String pk, String owner, Instant now, Instant heldUntil) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":owner", AttributeValue.fromS(owner));
        values.put(":done", stateValue(RecordState.DONE));
        values.put(":now", nowValue(now));
        values.put(":held", epochSeconds(heldUntil));
        return table.updateIf(pk, "SET #owner = :owner, #held_until = :held", "#state = :done AND #expires_at >= :now"
                + " AND (attribute_not_exists(#owner) OR #held_until < :now OR #owner = :owner)", values)
                .map(item -> new Claim.Won(Optional.empty(), Optional.of(string(item, CONTACT_ID)),
                        Optional.ofNullable(string(item, MERGE_LEAD))));
    }

    /** Claims a record whose create is unsettled (or whose holder died mid-create); answers the intent's time. */
    private Optional<Claim> takeOverUnsettled(String pk, String owner, Instant now, Instant heldUntil) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":owner", AttributeValue.fromS(owner));
        values.put(":pending", stateValue(RecordState.PENDING));
        values.put(":unsettled", stateValue(RecordState.UNSETTLED));
        values.put(":now", nowValue(now));
        values.put(":held", epochSeconds(heldUntil));
        return table.updateIf(pk, "SET #state = :pending, #owner = :owner, #held_until = :held", UNSETTLED, values)
                .map(item -> Claim.wonUnsettled(Instant.ofEpochMilli(Long.parseLong(item.get(CREATE_SINCE).n()))));
    }

    @Override
    public Optional<String> outcomeOf(String deliveryId) {
        return table.read(deliveryKey(deliveryId)).filter(item -> state(item) != RecordState.PENDING)
                .map(item -> string(item, OUTCOME));
    }

    @Override
    public void recordOutcome(String deliveryId, String outcomeJson) {
        table.put(deliveryKey(deliveryId), RecordState.DONE, OUTCOME, outcomeJson, ttl);
    }

    @Override
    public DeliveryStart startDelivery(String deliveryId, Duration hold) {
        return start(deliveryKey(deliveryId), hold, FREE, Map.of());
    }

    @Override
    public DeliveryStart resumeDelivery(String deliveryId, Duration hold) {
        return start(deliveryKey(deliveryId), hold, FREE + " OR #state = :queued",
                Map.of(":queued", stateValue(RecordState.QUEUED)));
    }

    @Override
    public void deferDelivery(String deliveryId, String outcomeJson) {
        table.put(deliveryKey(deliveryId), RecordState.QUEUED, OUTCOME, outcomeJson, ttl);
    }

    @Override
    public int countAttempt(String deliveryId, String receiveId) {
        // conditional on the receive: an ADD repeated by the SDK after a lost answer must not count twice
        Optional<Integer> counted = addAttempts(deliveryId, 1, receiveId,
                "attribute_not_exists(#last_receive) OR #last_receive <> :receive", receiveId);
        if (counted.isPresent()) {
            return counted.get();
        }
        return Integer.parseInt(table.readStored(attemptsKey(deliveryId)).get(ATTEMPTS_COUNT).n());
    }

    @Override
    public void uncountAttempt(String deliveryId, String receiveId) {
        addAttempts(deliveryId, -1, DeliveryLedger.uncounted(receiveId), "#last_receive = :receive", receiveId);
    }

    /** Adds to the count if the condition on the last receive holds; empty when it did not. */
    private Optional<Integer> addAttempts(String deliveryId, int change, String lastReceive, String condition,
            String receiveId) {
        long expiresAt = clock.instant().plus(ttl).getEpochSecond();
        return table.updateIfAnsweringUpdated(attemptsKey(deliveryId),
                "ADD #attempts :change SET #expires_at = :expires_at, #last_receive = :last", condition,
                Map.of(":change", AttributeValue.fromN(Integer.toString(change)),
                        ":expires_at", AttributeValue.fromN(Long.toString(expiresAt)),
                        ":last", AttributeValue.fromS(lastReceive), ":receive", AttributeValue.fromS(receiveId)))
                .map(attributes -> Integer.parseInt(attributes.get(ATTEMPTS_COUNT).n()));
    }

    @Override
    public void abandonDelivery(String deliveryId) {
        table.deleteIf(deliveryKey(deliveryId), "#state = :pending",
                Map.of(":pending", stateValue(RecordState.PENDING)));
    }

    @Override
    public void close() {
        table.close();
    }

    private DeliveryStart start(String pk, Duration hold, String condition, Map<String, AttributeValue> values) {
        for (int attempt = 1; ; attempt++) {
            Instant now = clock.instant();
            if (table.putIf(item(pk, RecordState.PENDING, now.plus(hold)), condition, now, values)) {
                return new DeliveryStart.Started();
            }
            Optional<Map<String, AttributeValue>> holder = table.read(pk);
            if (holder.isPresent()) {
                return RecordState.answer(state(holder.get()), string(holder.get(), OUTCOME),
                        Instant.ofEpochSecond(Long.parseLong(holder.get().get(EXPIRES_AT).n())));
            }
            if (attempt == ATTEMPTS) {
                return new DeliveryStart.InProgress(now.plus(hold));
            }
        }
    }
}
