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

    /** A queue's {@code DelaySeconds}: how long a message sent to it stays invisible. */
    public static int queueDelaySeconds(String queueId) {
        return Integer.parseInt(String.valueOf(template().properties(queueId).get("DelaySeconds")));
    }

    /** A queue's {@code VisibilityTimeout}: how long a received message stays invisible unless returned sooner. */
    public static int visibilityTimeoutSeconds(String queueId) {
        return Integer.parseInt(String.valueOf(template().properties(queueId).get("VisibilityTimeout")));
    }

    /** An event source mapping's {@code BatchSize}: the most messages one invocation is handed. */
    public static int batchSize(String mappingId) {
        return Integer.parseInt(String.valueOf(template().properties(mappingId).get("BatchSize")));
    }

    /** The functions' Timeout (Globals), in seconds. */
    public static int functionTimeoutSeconds() {
        return Integer.parseInt(String.valueOf(template().globalFunction().get("Timeout")));
    }
}
