package dev.contactfunctions.ledger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The ledger's table as {@link DynamoDbLedger} writes it: its item format (attribute names, keys, states, times in
 * epoch seconds) and its four kinds of access, each one request: a conditional put, update or delete that answers
 * whether the condition held, and a strongly consistent read that takes an expired item as absent.
 */
final class LedgerTable {

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

    private static final Map<String, String> NAMES = Map.ofEntries(Map.entry("#pk", PK), Map.entry("#state", STATE),
            Map.entry("#owner", OWNER), Map.entry("#expires_at", EXPIRES_AT), Map.entry("#contact_id", CONTACT_ID),
            Map.entry("#create_since", CREATE_SINCE), Map.entry("#held_until", HELD_UNTIL),
            Map.entry("#merge_lead", MERGE_LEAD), Map.entry("#attempts", ATTEMPTS_COUNT),
            Map.entry("#last_receive", LAST_RECEIVE));

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    LedgerTable(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    /** Puts the item if the condition holds ({@code :now} is set here); false when it did not. */
    boolean putIf(Map<String, AttributeValue> item, String condition, Instant now,
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
    boolean deleteIf(String pk, String condition, Map<String, AttributeValue> values) {
        try {
            dynamo.deleteItem(r -> r.tableName(table).key(key(pk)).conditionExpression(condition)
                    .expressionAttributeNames(namesIn(condition)).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Updates the item if the condition holds; answers it as updated, or empty when the condition failed. */
    Optional<Map<String, AttributeValue>> updateIf(String pk, String update, String condition,
            Map<String, AttributeValue> values) {
        return updateIf(pk, update, condition, values, ReturnValue.ALL_NEW);
    }

    /** As {@link #updateIf(String, String, String, Map)}, answering only the attributes the update wrote. */
    Optional<Map<String, AttributeValue>> updateIfAnsweringUpdated(String pk, String update, String condition,
            Map<String, AttributeValue> values) {
        return updateIf(pk, update, condition, values, ReturnValue.UPDATED_NEW);
    }

    private Optional<Map<String, AttributeValue>> updateIf(String pk, String update, String condition,
            Map<String, AttributeValue> values, ReturnValue answer) {
        try {
            return Optional.of(dynamo.updateItem(r -> r.tableName(table).key(key(pk)).updateExpression(update)
                    .conditionExpression(condition).expressionAttributeNames(namesIn(update + " " + condition))
                    .expressionAttributeValues(values).returnValues(answer)).attributes());
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    /** Writes the item whatever is there: a state and one attribute, kept for {@code lifetime}. */
    void put(String pk, RecordState state, String attribute, String value, Duration lifetime) {
        Map<String, AttributeValue> item = item(pk, state, clock.instant().plus(lifetime));
        item.put(attribute, AttributeValue.fromS(value));
        dynamo.putItem(r -> r.tableName(table).item(item));
    }

    /** The live item under a key: read strongly consistently, and absent once expired even if not yet deleted. */
    Optional<Map<String, AttributeValue>> read(String pk) {
        Map<String, AttributeValue> item = readStored(pk);
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        AttributeValue expiresAt = item.get(EXPIRES_AT);
        if (expiresAt != null && Long.parseLong(expiresAt.n()) < clock.instant().getEpochSecond()) {
            return Optional.empty();
        }
        return Optional.of(item);
    }

    /** The item under a key as stored, expired or not (strongly consistent). */
    Map<String, AttributeValue> readStored(String pk) {
        return dynamo.getItem(r -> r.tableName(table).key(key(pk)).consistentRead(true)).item();
    }

    void close() {
        dynamo.close();
    }

    static Map<String, AttributeValue> item(String pk, RecordState state, Instant expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, AttributeValue.fromS(pk));
        item.put(STATE, stateValue(state));
        item.put(EXPIRES_AT, epochSeconds(expiresAt));
        return item;
    }

    /** Now in whole seconds, for conditions: rounded down, as every expiry is rounded up. */
    static AttributeValue nowValue(Instant now) {
        return AttributeValue.fromN(Long.toString(now.getEpochSecond()));
    }

    /** Rounded up, so that a hold lasts at least as long as asked. */
    static AttributeValue epochSeconds(Instant instant) {
        return AttributeValue.fromN(Long.toString(instant.getEpochSecond() + (instant.getNano() > 0 ? 1 : 0)));
    }

    static AttributeValue stateValue(RecordState state) {
        return AttributeValue.fromS(state.stored());
    }

    static RecordState state(Map<String, AttributeValue> item) {
        return RecordState.fromStored(string(item, STATE));
    }

    static String string(Map<String, AttributeValue> item, String attribute) {
        AttributeValue value = item.get(attribute);
        return value == null ? null : value.s();
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
