package dev.contactfunctions.infra;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The plain-text environment variables template.yaml gives a function, for tests that must run with them. */
public final class TemplateEnvironment {

    private TemplateEnvironment() {
    }

    /** Globals first, the function's own variables on top; variables set by an intrinsic (!Ref, !If) are left out. */
    public static Map<String, String> of(String functionId) {
        Map<String, String> plain = new LinkedHashMap<>();
        Template.read(Path.of("template.yaml")).environment(functionId).forEach((name, value) -> {
            if (value instanceof String || value instanceof Number) {
                plain.put(name, String.valueOf(value));
            }
        });
        return plain;
    }
}
