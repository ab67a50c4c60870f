package dev.contactfunctions.audit;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Whether a run only reports ({@code report}) or also fixes ({@code fix}). */
@RegisterForReflection
public enum AuditMode {
    REPORT, FIX;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static AuditMode parse(String value) {
        for (AuditMode mode : values()) {
            if (mode.wireName().equalsIgnoreCase(String.valueOf(value).trim())) {
                return mode;
            }
        }
        throw new AuditInputException("mode must be 'report' or 'fix', got '" + value + "'");
    }
}
