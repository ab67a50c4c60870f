package dev.contactfunctions.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * Cursor pagination over a sorted result. The cursor is the position after the last contact of a page, written as
 * base64 of a JSON array {@code [field, order, value, id]} (Intercom's cursors are base64 of a JSON array too), so a
 * page boundary stays right when contacts are added or removed between calls.
 */
final class Pager {

    static final int MAX_PER_PAGE = 150;

    private Pager() {
    }

    /** How the result is sorted: a field, an order, and the contact id as tie-breaker. Nulls always come last. */
    record Order(ContactFilter.Field field, boolean descending) {

        String orderName() {
            return descending ? "descending" : "ascending";
        }

        Comparator<Key> keys() {
            return (a, b) -> {
                if (a.value() == null || b.value() == null) {
                    if (a.value() != b.value()) {
                        return a.value() == null ? 1 : -1;
                    }
                } else {
                    int cmp = compareValues(a.value(), b.value());
                    if (cmp != 0) {
                        return descending ? -cmp : cmp;
                    }
                }
                int ids = a.id().compareTo(b.id());
                return descending ? -ids : ids;
            };
        }

        Key keyOf(StoredContact contact) {
            return new Key(field.read(contact), contact.id);
        }
    }

    record Key(Object value, String id) {
    }

    record Page(List<StoredContact> items, int totalCount, int page, int perPage, int totalPages, String next) {
    }

    static Page page(List<StoredContact> matches, Order order, String cursor, int perPage) {
        Comparator<Key> keys = order.keys();
        List<StoredContact> sorted = new ArrayList<>(matches);
        sorted.sort((a, b) -> keys.compare(order.keyOf(a), order.keyOf(b)));
        int start = 0;
        if (cursor != null && !cursor.isBlank()) {
            Key after = decode(cursor, order);
            while (start < sorted.size() && keys.compare(order.keyOf(sorted.get(start)), after) <= 0) {
                start++;
            }
        }
        int end = Math.min(sorted.size(), start + perPage);
        List<StoredContact> items = sorted.subList(start, end);
        int total = sorted.size();
        int totalPages = (total + perPage - 1) / perPage;
        String next = end < total ? encode(order, order.keyOf(sorted.get(end - 1))) : null;
        return new Page(List.copyOf(items), total, start / perPage + 1, perPage, totalPages, next);
    }

    private static String encode(Order order, Key key) {
        ArrayNode array = Json.array();
        array.add(order.field().name()).add(order.orderName()).add(Json.node(key.value())).add(key.id());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(array));
    }

    private static Key decode(String cursor, Order order) {
        try {
            JsonNode array = Json.MAPPER.readTree(new String(Base64.getUrlDecoder().decode(cursor),
                    StandardCharsets.UTF_8));
            if (array.isArray() && array.size() == 4 && order.field().name().equals(array.get(0).asText())
                    && order.orderName().equals(array.get(1).asText()) && array.get(3).isTextual()) {
                return new Key(Json.scalar(array.get(2)), array.get(3).asText());
            }
        } catch (Exception e) {
            // falls through to the error below
        }
        throw ApiError.invalid("starting_after is not a cursor of this listing: pass pages.next.starting_after"
                + " of the previous page, with the same query and sort");
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static int compareValues(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a.getClass() == b.getClass() && a instanceof Comparable comparable) {
            return comparable.compareTo(b);
        }
        return a.toString().compareTo(b.toString());
    }

    /** {@code per_page}: default when absent, at least 1, at most {@value #MAX_PER_PAGE} (larger values are capped). */
    static int perPage(Integer requested, int defaultValue) {
        if (requested == null) {
            return defaultValue;
        }
        if (requested < 1) {
            throw ApiError.invalid("per_page must be a positive integer");
        }
        return Math.min(requested, MAX_PER_PAGE);
    }
}
