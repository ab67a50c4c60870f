package dev.contactfunctions.intercom.model;

import java.util.Locale;

/** Data types accepted by {@code POST /data_attributes}. */
public enum DataType {
    STRING, INTEGER, FLOAT, BOOLEAN, DATE, DATETIME;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type Intercom should store a JSON value as: numbers without a fraction are integers. */
    public static DataType of(Object value) {
        if (value instanceof Boolean) {
            return BOOLEAN;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger) {
            return INTEGER;
        }
        if (value instanceof Number) {
            return FLOAT;
        }
        return STRING;
    }
}
