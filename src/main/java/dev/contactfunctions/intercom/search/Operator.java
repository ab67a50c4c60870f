package dev.contactfunctions.intercom.search;

import java.util.EnumSet;
import java.util.Set;

/** Search operators and the field types each is valid on (contract.md §5.2). */
public enum Operator {
    EQ("=", EnumSet.allOf(FieldType.class)),
    NE("!=", EnumSet.complementOf(EnumSet.of(FieldType.DATE))),
    IN("IN", EnumSet.complementOf(EnumSet.of(FieldType.DATE, FieldType.TAG_ID))),
    NIN("NIN", EnumSet.complementOf(EnumSet.of(FieldType.DATE, FieldType.TAG_ID))),
    GT(">", EnumSet.of(FieldType.INTEGER, FieldType.DATE, FieldType.UNKNOWN)),
    LT("<", EnumSet.of(FieldType.INTEGER, FieldType.DATE, FieldType.UNKNOWN)),
    GTE(">=", EnumSet.of(FieldType.INTEGER, FieldType.UNKNOWN)),
    LTE("<=", EnumSet.of(FieldType.INTEGER, FieldType.UNKNOWN)),
    CONTAINS("~", EnumSet.of(FieldType.STRING, FieldType.UNKNOWN)),
    NOT_CONTAINS("!~", EnumSet.of(FieldType.STRING, FieldType.UNKNOWN)),
    STARTS_WITH("^", EnumSet.of(FieldType.STRING, FieldType.UNKNOWN)),
    ENDS_WITH("$", EnumSet.of(FieldType.STRING, FieldType.UNKNOWN));

    private final String symbol;
    private final Set<FieldType> validOn;

    Operator(String symbol, Set<FieldType> validOn) {
        this.symbol = symbol;
        this.validOn = validOn;
    }

    public String symbol() {
        return symbol;
    }

    public boolean validOn(FieldType type) {
        return validOn.contains(type);
    }

    public boolean takesList() {
        return this == IN || this == NIN;
    }

    public static Operator fromSymbol(String symbol) {
        for (Operator op : values()) {
            if (op.symbol.equals(symbol)) {
                return op;
            }
        }
        throw new InvalidSearchQueryException("unknown operator '" + symbol + "'");
    }
}
