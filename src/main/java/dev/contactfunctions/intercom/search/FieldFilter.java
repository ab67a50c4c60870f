package dev.contactfunctions.intercom.search;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * {@code {"field": ..., "operator": ..., "value": ...}}.
 * Registered for reflection: Jackson meets it only through {@link SearchFilter}, which the REST client's own
 * registration (its signature types and their fields) does not follow.
 */
@RegisterForReflection
public record FieldFilter(String field, String operator, Object value) implements SearchFilter {

    @JsonIgnore
    public Operator op() {
        return Operator.fromSymbol(operator);
    }

    public static final class Builder {
        private final String field;

        Builder(String field) {
            if (field == null || field.isBlank()) {
                throw new InvalidSearchQueryException("a filter needs a field name");
            }
            this.field = field;
        }

        public FieldFilter is(Operator operator, Object value) {
            return new FieldFilter(field, operator.symbol(), value);
        }

        public FieldFilter eq(Object value) {
            return is(Operator.EQ, value);
        }

        public FieldFilter ne(Object value) {
            return is(Operator.NE, value);
        }

        public FieldFilter in(List<?> values) {
            return is(Operator.IN, List.copyOf(values));
        }

        public FieldFilter notIn(List<?> values) {
            return is(Operator.NIN, List.copyOf(values));
        }

        public FieldFilter gt(Object value) {
            return is(Operator.GT, value);
        }

        public FieldFilter lt(Object value) {
            return is(Operator.LT, value);
        }

        public FieldFilter gte(Object value) {
            return is(Operator.GTE, value);
        }

        public FieldFilter lte(Object value) {
            return is(Operator.LTE, value);
        }

        public FieldFilter contains(String value) {
            return is(Operator.CONTAINS, value);
        }

        public FieldFilter notContains(String value) {
            return is(Operator.NOT_CONTAINS, value);
        }

        public FieldFilter startsWith(String value) {
            return is(Operator.STARTS_WITH, value);
        }

        public FieldFilter endsWith(String value) {
            return is(Operator.ENDS_WITH, value);
        }
    }
}
