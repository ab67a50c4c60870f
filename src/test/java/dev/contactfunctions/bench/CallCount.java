package dev.contactfunctions.bench;

import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;

import dev.contactfunctions.sandbox.Endpoint;
import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.testsupport.SandboxCalls;

/** The Intercom calls the sandbox answered while an action ran, per endpoint. */
record CallCount(Map<Endpoint, Long> byEndpoint) {

    private static final Map<Endpoint, String> LABELS = labels();

    /** Runs the action alone against the sandbox and counts what it called. */
    static CallCount of(IntercomSandbox sandbox, Runnable action) {
        Map<Endpoint, Long> before = SandboxCalls.counts(sandbox);
        action.run();
        return new CallCount(SandboxCalls.since(sandbox, before));
    }

    long total() {
        return byEndpoint.values().stream().mapToLong(Long::longValue).sum();
    }

    /** {@code search 1, create 1, tag 2}; {@code none} for no call. */
    String breakdown() {
        if (byEndpoint.isEmpty()) {
            return "none";
        }
        StringJoiner out = new StringJoiner(", ");
        byEndpoint.forEach((endpoint, calls) -> out.add(LABELS.getOrDefault(endpoint, endpoint.key()) + " "
                + String.format("%,d", calls)));
        return out.toString();
    }

    private static Map<Endpoint, String> labels() {
        Map<Endpoint, String> labels = new EnumMap<>(Endpoint.class);
        labels.put(Endpoint.CREATE_CONTACT, "create");
        labels.put(Endpoint.LIST_CONTACTS, "list page");
        labels.put(Endpoint.SEARCH_CONTACTS, "search");
        labels.put(Endpoint.MERGE_CONTACTS, "merge");
        labels.put(Endpoint.FIND_BY_EXTERNAL_ID, "find by external_id");
        labels.put(Endpoint.GET_CONTACT, "read");
        labels.put(Endpoint.UPDATE_CONTACT, "update");
        labels.put(Endpoint.TAG_CONTACT, "tag");
        labels.put(Endpoint.UNTAG_CONTACT, "untag");
        labels.put(Endpoint.LIST_CONTACT_SEGMENTS, "contact's segments");
        labels.put(Endpoint.LIST_SEGMENTS, "segments");
        labels.put(Endpoint.LIST_TAGS, "tags");
        labels.put(Endpoint.CREATE_OR_UPDATE_TAG, "create tag");
        labels.put(Endpoint.LIST_DATA_ATTRIBUTES, "data attributes");
        labels.put(Endpoint.CREATE_DATA_ATTRIBUTE, "create data attribute");
        return labels;
    }
}
