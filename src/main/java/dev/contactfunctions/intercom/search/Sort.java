package dev.contactfunctions.intercom.search;

/** Search sort, sent as {@code {"field": ..., "order": "ascending"|"descending"}}. */
public record Sort(String field, Order order) {

    public enum Order {
        ascending, descending
    }
}
