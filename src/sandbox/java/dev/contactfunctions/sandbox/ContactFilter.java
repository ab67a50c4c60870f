package dev.contactfunctions.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Intercom's contact search grammar (contract.md §5), parsed and checked the way Intercom checks it: at most
 * {@value #MAX_NESTING} levels of AND/OR groups, at most {@value #MAX_FILTERS_PER_GROUP} filters per group, each
 * operator only on the field types it supports, values of the field's type. Dates match by calendar day (UTC).
 */
final class ContactFilter {

    static final int MAX_NESTING = 2;
    static final int MAX_FILTERS_PER_GROUP = 15;
    private static final long DAY = 86_400;

    /** What evaluation needs from the workspace. */
    interface Context {
        Optional<SegmentDef> segment(String id);
    }

    enum Kind {
        STRING("a string"), INTEGER("an integer"), FLOAT("a number"), BOOLEAN("a boolean"),
        DATE("a Unix timestamp"), TAG_ID("a tag id"), SEGMENT_ID("a segment id");

        final String description;

        Kind(String description) {
            this.description = description;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    enum Op {
        EQ("="), NE("!="), IN("IN"), NIN("NIN"), LT("<"), GT(">"), LTE("<="), GTE(">="), CONTAINS("~"),
        NOT_CONTAINS("!~"), STARTS_WITH("^"), ENDS_WITH("$");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        boolean takesList() {
            return this == IN || this == NIN;
        }

        static Optional<Op> of(String symbol) {
            for (Op op : values()) {
                if (op.symbol.equals(symbol)) {
                    return Optional.of(op);
                }
            }
            return Optional.empty();
        }

        boolean validOn(Kind kind) {
            return switch (kind) {
                case STRING -> this == EQ || this == NE || this == IN || this == NIN || this == CONTAINS
                        || this == NOT_CONTAINS || this == STARTS_WITH || this == ENDS_WITH;
                case INTEGER, FLOAT -> this == EQ || this == NE || this == IN || this == NIN || this == LT
                        || this == GT || this == LTE || this == GTE;
                case BOOLEAN, SEGMENT_ID -> this == EQ || this == NE || this == IN || this == NIN;
                case DATE -> this == EQ || this == LT || this == GT;
                case TAG_ID -> this == EQ || this == NE;
            };
        }
    }

    /** A searchable field: its type and how to read it from a contact. */
    record Field(String name, Kind kind, Function<StoredContact, Object> reader, boolean caseInsensitive) {
        Object read(StoredContact contact) {
            return reader.apply(contact);
        }
    }

    private static final Map<String, Field> STANDARD = standardFields();

    private final Node root;

    private ContactFilter(Node root) {
        this.root = root;
    }

    boolean test(StoredContact contact, Context context) {
        return root.test(contact, context);
    }

    /**
     * Parses a query. {@code customAttributes} gives the data type of a custom contact attribute (empty when it does
     * not exist). Segment filters may not refer to segments ({@code allowSegments == false}).
     */
    static ContactFilter parse(JsonNode query, Function<String, Optional<AttributeDef>> customAttributes,
            boolean allowSegments) {
        if (query == null || query.isNull() || query.isMissingNode()) {
            throw ApiError.invalid("query is required");
        }
        return new ContactFilter(new Parser(customAttributes, allowSegments).node(query, 0));
    }

    /** The field named in a filter or a sort; {@code 400} when it is not searchable. */
    static Field field(String name, Function<String, Optional<AttributeDef>> customAttributes) {
        Field standard = STANDARD.get(name);
        if (standard != null) {
            return standard;
        }
        if (name.startsWith("custom_attributes.")) {
            String attribute = name.substring("custom_attributes.".length());
            AttributeDef def = customAttributes.apply(attribute)
                    .orElseThrow(() -> ApiError.unknownCustomAttribute(attribute));
            return new Field(name, kindOf(def.dataType()), c -> c.customAttributes.get(attribute), false);
        }
        throw ApiError.invalid("'" + name + "' is not a searchable contact field");
    }

    private static Kind kindOf(String dataType) {
        return switch (dataType) {
            case "integer" -> Kind.INTEGER;
            case "float" -> Kind.FLOAT;
            case "boolean" -> Kind.BOOLEAN;
            case "date" -> Kind.DATE;
            default -> Kind.STRING;
        };
    }

    // ---- the tree

    private sealed interface Node permits Group, Test {
        boolean test(StoredContact contact, Context context);
    }

    private record Group(boolean and, List<Node> children) implements Node {
        @Override
        public boolean test(StoredContact contact, Context context) {
            return and ? children.stream().allMatch(n -> n.test(contact, context))
                    : children.stream().anyMatch(n -> n.test(contact, context));
        }
    }

    private record Test(Field field, Op op, Object value) implements Node {
        @Override
        public boolean test(StoredContact contact, Context context) {
            return switch (field.kind()) {
                case TAG_ID -> contact.tags.containsKey((String) value) == (op == Op.EQ);
                case SEGMENT_ID -> segmentTest(contact, context);
                case DATE -> dateTest((Long) field.read(contact));
                default -> valueTest(field.read(contact));
            };
        }

        private boolean segmentTest(StoredContact contact, Context context) {
            return switch (op) {
                case EQ -> inSegment((String) value, contact, context);
                case NE -> !inSegment((String) value, contact, context);
                case IN -> values().stream().anyMatch(id -> inSegment((String) id, contact, context));
                default -> values().stream().noneMatch(id -> inSegment((String) id, contact, context));
            };
        }

        private static boolean inSegment(String id, StoredContact contact, Context context) {
            return context.segment(id).map(s -> s.admits(contact, context)).orElse(false);
        }

        /** Calendar-day matching: {@code =} the same day, {@code >} from the next day on, {@code <} before that day. */
        private boolean dateTest(Long actual) {
            if (value == null) {
                return actual == null;
            }
            if (actual == null) {
                return false;
            }
            long day = Math.floorDiv((Long) value, DAY);
            long actualDay = Math.floorDiv(actual, DAY);
            return switch (op) {
                case EQ -> actualDay == day;
                case GT -> actualDay > day;
                default -> actualDay < day;
            };
        }

        private boolean valueTest(Object actual) {
            return switch (op) {
                case EQ -> equal(actual, value);
                case NE -> !equal(actual, value);
                case IN -> values().stream().anyMatch(v -> equal(actual, v));
                case NIN -> values().stream().noneMatch(v -> equal(actual, v));
                case LT, GT, LTE, GTE -> actual instanceof Number a && compareNumbers(a, (Number) value, op);
                case CONTAINS -> actual instanceof String s && fold(s).contains(fold((String) value));
                case NOT_CONTAINS -> !(actual instanceof String s && fold(s).contains(fold((String) value)));
                case STARTS_WITH -> actual instanceof String s && fold(s).startsWith(fold((String) value));
                case ENDS_WITH -> actual instanceof String s && fold(s).endsWith(fold((String) value));
            };
        }

        @SuppressWarnings("unchecked")
        private List<Object> values() {
            return (List<Object>) value;
        }

        private boolean equal(Object actual, Object expected) {
            if (actual == null || expected == null) {
                return actual == expected;
            }
            if (actual instanceof Number a && expected instanceof Number e) {
                return Double.compare(a.doubleValue(), e.doubleValue()) == 0;
            }
            if (actual instanceof String a && expected instanceof String e) {
                return fold(a).equals(fold(e));
            }
            return actual.equals(expected);
        }

        private String fold(String s) {
            return field.caseInsensitive() ? s.toLowerCase(Locale.ROOT) : s;
        }

        private static boolean compareNumbers(Number actual, Number expected, Op op) {
            int cmp = Double.compare(actual.doubleValue(), expected.doubleValue());
            return switch (op) {
                case LT -> cmp < 0;
                case GT -> cmp > 0;
                case LTE -> cmp <= 0;
                default -> cmp >= 0;
            };
        }
    }

    // ---- parsing

    private static final class Parser {
        private final Function<String, Optional<AttributeDef>> customAttributes;
        private final boolean allowSegments;

        Parser(Function<String, Optional<AttributeDef>> customAttributes, boolean allowSegments) {
            this.customAttributes = customAttributes;
            this.allowSegments = allowSegments;
        }

        Node node(JsonNode node, int enclosingGroups) {
            if (!node.isObject()) {
                throw ApiError.invalid("A search filter must be an object");
            }
            JsonNode operator = node.get("operator");
            if (node.has("field")) {
                return test(node);
            }
            if (operator != null && ("AND".equals(operator.asText()) || "OR".equals(operator.asText()))) {
                return group(node, operator.asText(), enclosingGroups);
            }
            throw ApiError.invalid("A search filter needs a field, an operator and a value;"
                    + " a group needs the operator AND or OR and a list of filters");
        }

        private Node group(JsonNode node, String operator, int enclosingGroups) {
            if (enclosingGroups >= MAX_NESTING) {
                throw ApiError.invalid("There's a limit of max " + MAX_NESTING + " nested filters");
            }
            JsonNode value = node.get("value");
            if (value == null || !value.isArray() || value.isEmpty()) {
                throw ApiError.invalid("An " + operator + " group needs a non-empty list of filters as its value");
            }
            if (value.size() > MAX_FILTERS_PER_GROUP) {
                throw ApiError.invalid("There's a limit of max " + MAX_FILTERS_PER_GROUP + " filters for each AND or"
                        + " OR group, got " + value.size());
            }
            List<Node> children = new ArrayList<>();
            value.forEach(child -> children.add(node(child, enclosingGroups + 1)));
            return new Group("AND".equals(operator), List.copyOf(children));
        }

        private Node test(JsonNode node) {
            JsonNode fieldNode = node.get("field");
            if (fieldNode == null || !fieldNode.isTextual() || fieldNode.asText().isBlank()) {
                throw ApiError.invalid("A search filter needs a field name");
            }
            JsonNode opNode = node.get("operator");
            if (opNode == null || !opNode.isTextual()) {
                throw ApiError.invalid("The filter on '" + fieldNode.asText() + "' needs an operator");
            }
            Op op = Op.of(opNode.asText()).orElseThrow(() -> ApiError.invalid("Operator '" + opNode.asText()
                    + "' is not supported; use one of = != IN NIN < > <= >= ~ !~ ^ $"));
            Field field = field(fieldNode.asText(), customAttributes);
            if (field.kind() == Kind.SEGMENT_ID && !allowSegments) {
                throw ApiError.invalid("A segment cannot be defined by another segment");
            }
            if (!op.validOn(field.kind())) {
                throw ApiError.invalid("The operator '" + op.symbol + "' is not supported on '" + field.name()
                        + "' (" + field.kind().label() + ")");
            }
            if (!node.has("value")) {
                throw ApiError.invalid("The filter on '" + field.name() + "' needs a value");
            }
            JsonNode value = node.get("value");
            if (op.takesList()) {
                if (!value.isArray() || value.isEmpty()) {
                    throw ApiError.invalid("The operator '" + op.symbol + "' needs a non-empty list of values");
                }
                List<Object> values = new ArrayList<>();
                value.forEach(v -> values.add(coerce(field, v, false)));
                return new Test(field, op, List.copyOf(values));
            }
            if (value.isArray() || value.isObject()) {
                throw ApiError.invalid("The operator '" + op.symbol + "' takes a single value, not a list");
            }
            boolean nullable = op == Op.EQ || op == Op.NE;
            return new Test(field, op, coerce(field, value, nullable));
        }

        private Object coerce(Field field, JsonNode value, boolean nullable) {
            Kind kind = field.kind();
            if (value.isNull() && nullable && kind != Kind.TAG_ID && kind != Kind.SEGMENT_ID) {
                return null;
            }
            Object result = switch (kind) {
                case STRING -> value.isTextual() ? value.textValue() : null;
                case INTEGER -> value.isIntegralNumber() ? (Object) value.longValue() : null;
                case FLOAT -> value.isNumber() ? (Object) value.doubleValue() : null;
                case BOOLEAN -> value.isBoolean() ? (Object) value.booleanValue() : null;
                case DATE -> value.isIntegralNumber() ? (Object) value.longValue()
                        : value.isTextual() && value.textValue().matches("-?\\d{1,12}") ? Long.valueOf(value.textValue())
                        : null;
                case TAG_ID, SEGMENT_ID -> value.isTextual() && !value.textValue().isBlank() ? value.textValue()
                        : value.isIntegralNumber() ? value.asText() : null;
            };
            if (result == null) {
                throw ApiError.invalid("The value for '" + field.name() + "' must be " + kind.description
                        + ", got " + value);
            }
            return result;
        }
    }

    // ---- the fields of contract.md §5.3

    private static Map<String, Field> standardFields() {
        Map<String, Field> fields = new java.util.LinkedHashMap<>();
        add(fields, "id", Kind.STRING, c -> c.id);
        add(fields, "role", Kind.STRING, c -> c.role);
        add(fields, "name", Kind.STRING, c -> c.name);
        add(fields, "avatar", Kind.STRING, c -> c.avatar);
        add(fields, "owner_id", Kind.INTEGER, c -> c.ownerId);
        fields.put("email", new Field("email", Kind.STRING, c -> c.email, true));
        fields.put("email_domain", new Field("email_domain", Kind.STRING, StoredContact::emailDomain, true));
        add(fields, "phone", Kind.STRING, c -> c.phone);
        add(fields, "external_id", Kind.STRING, c -> c.externalId);
        add(fields, "created_at", Kind.DATE, c -> c.createdAt);
        add(fields, "updated_at", Kind.DATE, c -> c.updatedAt);
        add(fields, "signed_up_at", Kind.DATE, c -> c.signedUpAt);
        add(fields, "last_seen_at", Kind.DATE, c -> c.lastSeenAt);
        for (String never : List.of("last_contacted_at", "last_replied_at", "last_email_opened_at",
                "last_email_clicked_at", "ios_last_seen_at", "android_last_seen_at")) {
            add(fields, never, Kind.DATE, c -> null);
        }
        for (String unset : List.of("language_override", "browser", "browser_language", "os", "android_app_name",
                "android_app_version", "android_device", "android_os_version", "android_sdk_version", "ios_app_name",
                "ios_app_version", "ios_device", "ios_os_version", "ios_sdk_version")) {
            add(fields, unset, Kind.STRING, c -> null);
        }
        add(fields, "location.country", Kind.STRING, c -> c.country);
        add(fields, "location.region", Kind.STRING, c -> c.region);
        add(fields, "location.city", Kind.STRING, c -> c.city);
        add(fields, "unsubscribed_from_emails", Kind.BOOLEAN, c -> c.unsubscribedFromEmails);
        add(fields, "marked_email_as_spam", Kind.BOOLEAN, c -> c.markedEmailAsSpam);
        add(fields, "has_hard_bounced", Kind.BOOLEAN, c -> c.hasHardBounced);
        add(fields, "tag_id", Kind.TAG_ID, c -> null);
        add(fields, "segment_id", Kind.SEGMENT_ID, c -> null);
        return Map.copyOf(fields);
    }

    private static void add(Map<String, Field> fields, String name, Kind kind, Function<StoredContact, Object> reader) {
        fields.put(name, new Field(name, kind, reader, false));
    }
}
