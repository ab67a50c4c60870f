package dev.contactfunctions.ledger;

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
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
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

    static final String PK = "pk";
    static final String STATE = "state";
    static final String CONTACT_ID = "contact_id";
    static final String OUTCOME = "outcome";
    static final String OWNER = "owner";
    static final String EXPIRES_AT = "expires_at";
    static final String ATTEMPTS_COUNT = "attempts";
    static final String CREATE_SINCE = "create_since";
    static final String HELD_UNTIL = "held_until";
    static final String MERGE_LEAD = "merge_lead";
    static final String LAST_RECEIVE = "last_receive";

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
    private static final Map<String, String> NAMES = Map.of("#pk", PK, "#state", STATE, "#owner", OWNER,
            "#expires_at", EXPIRES_AT, "#contact_id", CONTACT_ID, "#create_since", CREATE_SINCE,
            "#held_until", HELD_UNTIL, "#merge_lead", MERGE_LEAD);
    // a record can vanish between a failed condition and the read that explains it (released, or deleted by TTL)
    private static final int ATTEMPTS = 3;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final Duration ttl;

    public DynamoDbLedger(DynamoDbClient dynamo, String table, Clock clock, Duration ttl) {
        this.dynamo = dynamo;
        this.table = table;
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
        return read(identityKey(identity)).filter(item -> state(item) == RecordState.DONE)
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
            if (putIf(item, FREE + " OR (attribute_not_exists(#create_since) AND " + HELD_BY_OWNER + ")", now,
                    values)) {
                return Claim.won();
            }
            Optional<Claim> takenOver = takeOverRemembered(pk, owner, now, now.plus(hold))
                    .or(() -> takeOverUnsettled(pk, owner, now, now.plus(hold)));
            if (takenOver.isPresent()) {
                return takenOver.get();
            }
            if (read(pk).isPresent() || attempt == ATTEMPTS) {
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
        return updateIf(identityKey(identity), "SET #state = :done, #contact_id = :contact, #expires_at = :keep"
                + " REMOVE #create_since, #merge_lead", HELD, values).isPresent();
    }

    @Override
    public void release(String identity, String owner) {
        String pk = identityKey(identity);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":owner", AttributeValue.fromS(owner));
        values.put(":done", stateValue(RecordState.DONE));
        if (updateIf(pk, "REMOVE #owner, #held_until", HELD + " AND #state = :done", values).isPresent()) {
            return;
        }
        values.remove(":done");
        values.put(":pending", stateValue(RecordState.PENDING));
        if (!deleteIf(pk, HELD_BY_OWNER + " AND attribute_not_exists(#create_since)", values)) {
            values.put(":unsettled", stateValue(RecordState.UNSETTLED));
            updateIf(pk, "SET #state = :unsettled REMOVE #owner, #held_until",
                    HELD_BY_OWNER + " AND attribute_exists(#create_since)", values);
        }
    }

    @Override
    public void forget(String identity, String owner) {
        deleteIf(identityKey(identity), HELD, Map.of(":owner", AttributeValue.fromS(owner)));
    }

    @Override
    public boolean intendCreate(String identity, String owner, Instant since, Duration hold) {
        Instant now = clock.instant();
        Map<String, AttributeValue> values = liveHoldValues(owner, now);
        values.put(":pending", stateValue(RecordState.PENDING));
        values.put(":since", AttributeValue.fromN(Long.toString(since.toEpochMilli())));
        values.put(":held", epochSeconds(now.plus(hold)));
        values.put(":keep", epochSeconds(since.plus(ttl)));
        return updateIf(identityKey(identity), "SET #state = :pending, #create_since = :since, #held_until = :held,"
                + " #expires_at = :keep REMOVE #contact_id, #merge_lead", LIVE_HOLD, values).isPresent();
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
        return updateIf(identityKey(identity), "SET #state = :done, #contact_id = :user, #merge_lead = :lead,"
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
        return updateIf(pk, "SET #owner = :owner, #held_until = :held", "#state = :done AND #expires_at >= :now"
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
        return updateIf(pk, "SET #state = :pending, #owner = :owner, #held_until = :held", UNSETTLED, values)
                .map(item -> Claim.wonUnsettled(Instant.ofEpochMilli(Long.parseLong(item.get(CREATE_SINCE).n()))));
    }

    @Override
    public Optional<String> outcomeOf(String deliveryId) {
        return read(deliveryKey(deliveryId)).filter(item -> state(item) != RecordState.PENDING)
                .map(item -> string(item, OUTCOME));
    }

    @Override
    public void recordOutcome(String deliveryId, String outcomeJson) {
        put(deliveryKey(deliveryId), RecordState.DONE, OUTCOME, outcomeJson, ttl);
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
        put(deliveryKey(deliveryId), RecordState.QUEUED, OUTCOME, outcomeJson, ttl);
    }

    @Override
    public int countAttempt(String deliveryId, String receiveId) {
        // conditional on the receive: an ADD repeated by the SDK after a lost answer must not count twice
        Optional<Integer> counted = addAttempts(deliveryId, 1, receiveId,
                "attribute_not_exists(#last_receive) OR #last_receive <> :receive", receiveId);
        if (counted.isPresent()) {
            return counted.get();
        }
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(attemptsKey(deliveryId)))
                .consistentRead(true)).item();
        return Integer.parseInt(item.get(ATTEMPTS_COUNT).n());
    }

    @Override
    public void uncountAttempt(String deliveryId, String receiveId) {
        addAttempts(deliveryId, -1, DeliveryLedger.uncounted(receiveId), "#last_receive = :receive", receiveId);
    }

    /** Adds to the count if the condition on the last receive holds; empty when it did not. */
    private Optional<Integer> addAttempts(String deliveryId, int change, String lastReceive, String condition,
            String receiveId) {
        long expiresAt = clock.instant().plus(ttl).getEpochSecond();
        try {
            UpdateItemResponse response = dynamo.updateItem(r -> r.tableName(table)
                    .key(key(attemptsKey(deliveryId)))
                    .updateExpression("ADD #attempts :change SET #expires_at = :expires_at, #last_receive = :last")
                    .conditionExpression(condition)
                    .expressionAttributeNames(Map.of("#attempts", ATTEMPTS_COUNT, "#expires_at", EXPIRES_AT,
                            "#last_receive", LAST_RECEIVE))
                    .expressionAttributeValues(Map.of(":change", AttributeValue.fromN(Integer.toString(change)),
                            ":expires_at", AttributeValue.fromN(Long.toString(expiresAt)),
                            ":last", AttributeValue.fromS(lastReceive), ":receive", AttributeValue.fromS(receiveId)))
                    .returnValues(ReturnValue.UPDATED_NEW));
            return Optional.of(Integer.parseInt(response.attributes().get(ATTEMPTS_COUNT).n()));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    @Override
    public void abandonDelivery(String deliveryId) {
        deleteIf(deliveryKey(deliveryId), "#state = :pending", Map.of(":pending", stateValue(RecordState.PENDING)));
    }

    @Override
    public void close() {
        dynamo.close();
    }

    private DeliveryStart start(String pk, Duration hold, String condition, Map<String, AttributeValue> values) {
        for (int attempt = 1; ; attempt++) {
            Instant now = clock.instant();
            if (putIf(item(pk, RecordState.PENDING, now.plus(hold)), condition, now, values)) {
                return new DeliveryStart.Started();
            }
            Optional<Map<String, AttributeValue>> holder = read(pk);
            if (holder.isPresent()) {
                return RecordState.answer(state(holder.get()), string(holder.get(), OUTCOME),
                        Instant.ofEpochSecond(Long.parseLong(holder.get().get(EXPIRES_AT).n())));
            }
            if (attempt == ATTEMPTS) {
                return new DeliveryStart.InProgress(now.plus(hold));
            }
        }
    }

    private boolean putIf(Map<String, AttributeValue> item, String condition, Instant now,
            Map<String, AttributeValue> values) {
        Map<String, AttributeValue> all = new HashMap<>(values);
        all.put(":now", nowValue(now));
        try {
            dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression(condition)
                    .expressionAttributeNames(namesIn(condition)).expressionAttributeValues(all));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Deletes the item if the condition holds; false when it did not (not, or no longer, the state meant). */
    private boolean deleteIf(String pk, String condition, Map<String, AttributeValue> values) {
        try {
            dynamo.deleteItem(r -> r.tableName(table).key(key(pk)).conditionExpression(condition)
                    .expressionAttributeNames(namesIn(condition)).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Updates the item if the condition holds; answers it as updated, or empty when the condition failed. */
    private Optional<Map<String, AttributeValue>> updateIf(String pk, String update, String condition,
            Map<String, AttributeValue> values) {
        try {
            return Optional.of(dynamo.updateItem(r -> r.tableName(table).key(key(pk)).updateExpression(update)
                    .conditionExpression(condition).expressionAttributeNames(namesIn(update + " " + condition))
                    .expressionAttributeValues(values).returnValues(ReturnValue.ALL_NEW)).attributes());
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    private void put(String pk, RecordState state, String attribute, String value, Duration lifetime) {
        Map<String, AttributeValue> item = item(pk, state, clock.instant().plus(lifetime));
        item.put(attribute, AttributeValue.fromS(value));
        dynamo.putItem(r -> r.tableName(table).item(item));
    }

    /** The live item under a key: read strongly consistently, and absent once expired even if not yet deleted. */
    private Optional<Map<String, AttributeValue>> read(String pk) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(pk)).consistentRead(true))
                .item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        AttributeValue expiresAt = item.get(EXPIRES_AT);
        if (expiresAt != null && Long.parseLong(expiresAt.n()) < clock.instant().getEpochSecond()) {
            return Optional.empty();
        }
        return Optional.of(item);
    }

    private static Map<String, AttributeValue> item(String pk, RecordState state, Instant expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, AttributeValue.fromS(pk));
        item.put(STATE, stateValue(state));
        item.put(EXPIRES_AT, epochSeconds(expiresAt));
        return item;
    }

    /** Now in whole seconds, for conditions: rounded down, as every expiry is rounded up. */
    private static AttributeValue nowValue(Instant now) {
        return AttributeValue.fromN(Long.toString(now.getEpochSecond()));
    }

    /** Rounded up, so that a hold lasts at least as long as asked. */
    private static AttributeValue epochSeconds(Instant instant) {
        return AttributeValue.fromN(Long.toString(instant.getEpochSecond() + (instant.getNano() > 0 ? 1 : 0)));
    }

    private static Map<String, String> namesIn(String expression) {
        Map<String, String> names = new HashMap<>();
        NAMES.forEach((placeholder, name) -> {
            if (expression.contains(placeholder)) {
                names.put(placeholder, name);
            }
        });
        return names;
    }

    private static Map<String, AttributeValue> key(String pk) {
        return Map.of(PK, AttributeValue.fromS(pk));
    }

    private static AttributeValue stateValue(RecordState state) {
        return AttributeValue.fromS(state.stored());
    }

    private static RecordState state(Map<String, AttributeValue> item) {
        return RecordState.fromStored(string(item, STATE));
    }

    private static String string(Map<String, AttributeValue> item, String attribute) {
        AttributeValue value = item.get(attribute);
        return value == null ? null : value.s();
    }

    static String identityKey(String identity) {
        return "identity#" + identity;
    }

    static String deliveryKey(String deliveryId) {
        return "delivery#" + deliveryId;
    }

    static String attemptsKey(String deliveryId) {
        return "attempts#" + deliveryId;
    }
}
