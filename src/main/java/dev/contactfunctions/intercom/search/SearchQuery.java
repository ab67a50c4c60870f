package dev.contactfunctions.intercom.search;

import java.util.Collection;
import java.util.Optional;

/**
 * A validated contact search: the filter tree and an optional sort. Intercom's limits are checked here, before
 * sending: at most {@value #MAX_NESTING} levels of nested groups, at most {@value #MAX_FILTERS_PER_GROUP} filters
 * per group, operators valid for the field's type, lists for IN/NIN.
 */
public record SearchQuery(SearchFilter filter, Optional<Sort> sort) {

    public static final int MAX_NESTING = 2;
    public static final int MAX_FILTERS_PER_GROUP = 15;

    public SearchQuery {
        validate(filter, 0);
    }

    public static SearchQuery of(SearchFilter filter) {
        return new SearchQuery(filter, Optional.empty());
    }

    public SearchQuery sortedBy(String field, Sort.Order order) {
        return new SearchQuery(filter, Optional.of(new Sort(field, order)));
    }

    private static void validate(SearchFilter filter, int depth) {
        if (filter == null) {
            throw new InvalidSearchQueryException("a search needs a query");
        }
        if (filter instanceof FieldFilter single) {
            validateField(single);
            return;
        }
        GroupFilter group = (GroupFilter) filter;
        if (!"AND".equals(group.operator()) && !"OR".equals(group.operator())) {
            throw new InvalidSearchQueryException("a group operator is AND or OR, not " + group.operator());
        }
        if (depth + 1 > MAX_NESTING) {
            throw new InvalidSearchQueryException("Intercom allows at most " + MAX_NESTING + " levels of nested filters");
        }
        if (group.value().isEmpty()) {
            throw new InvalidSearchQueryException("an " + group.operator() + " group needs filters");
        }
        if (group.value().size() > MAX_FILTERS_PER_GROUP) {
            throw new InvalidSearchQueryException("Intercom allows at most " + MAX_FILTERS_PER_GROUP
                    + " filters in an " + group.operator() + " group, got " + group.value().size());
        }
        group.value().forEach(child -> validate(child, depth + 1));
    }

    private static void validateField(FieldFilter filter) {
        Operator op = filter.op();
        FieldType type = FieldType.of(filter.field());
        if (!op.validOn(type)) {
            throw new InvalidSearchQueryException(
                    "operator " + op.symbol() + " is not valid on " + filter.field() + " (" + type + ")");
        }
        boolean isList = filter.value() instanceof Collection<?>;
        if (op.takesList() && !isList) {
            throw new InvalidSearchQueryException("operator " + op.symbol() + " needs a list of values");
        }
        if (!op.takesList() && isList) {
            throw new InvalidSearchQueryException("operator " + op.symbol() + " takes a single value");
        }
        if (type == FieldType.DATE && !(filter.value() instanceof Number)) {
            throw new InvalidSearchQueryException(filter.field() + " is a date: give Unix seconds");
        }
    }
}
