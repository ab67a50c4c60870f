package dev.contactfunctions.audit;

import java.util.Arrays;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** How far the audit has counted a segment's members; its wire name is the checkpoint's and the report's. */
@RegisterForReflection
enum ScanState {
    PENDING("pending"),
    IN_PROGRESS("in-progress"),
    COMPLETE("complete");

    private final String wireName;

    ScanState(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    String wireName() {
        return wireName;
    }

    @JsonCreator
    static ScanState ofWireName(String wireName) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(wireName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown segment scan state '" + wireName + "'"));
    }
}
