package dev.contactfunctions.infra;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What template.yaml deploys, for tests that must run with the same values. */
public final class DeployedTemplate {

    private DeployedTemplate() {
    }

    private static Template template() {
        return Template.read(Path.of("template.yaml"));
    }

    /**
     * The plain-text environment variables of a function: Globals first, the function's own variables on top;
     * variables set by an intrinsic (!Ref, !If) are left out.
     */
    public static Map<String, String> environment(String functionId) {
        Map<String, String> plain = new LinkedHashMap<>();
        template().environment(functionId).forEach((name, value) -> {
            if (value instanceof String || value instanceof Number) {
                plain.put(name, String.valueOf(value));
            }
        });
        return plain;
    }

    /** The receives after which the queue's redrive policy moves a message to its dead-letter queue. */
    public static int maxReceiveCount(String queueId) {
        return Integer.parseInt(String.valueOf(
                Template.map(template().properties(queueId).get("RedrivePolicy")).get("maxReceiveCount")));
    }

    /** The functions' Timeout (Globals), in seconds. */
    public static int functionTimeoutSeconds() {
        return Integer.parseInt(String.valueOf(template().globalFunction().get("Timeout")));
    }
}
