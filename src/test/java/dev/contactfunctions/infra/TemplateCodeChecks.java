package dev.contactfunctions.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The checks that tie {@code template.yaml} to the code, which AWS's template tools cannot know about: handler names
 * and environment variables. Each returns the problems it finds, one sentence each, naming the resource; an empty
 * list means the rule holds. {@link TemplateCodeChecksTest} shows that each one fails on a template that breaks it.
 * Everything else about the template is checked by cfn-lint and on SAM's own transform ({@link AwsToolsTemplateTest}).
 */
final class TemplateCodeChecks {

    /** Variables read by something other than our configuration: the native bootstrap, the JVM, Lambda. */
    static final Set<String> RUNTIME_VARIABLES = Set.of("DISABLE_SIGNAL_HANDLERS", "JAVA_TOOL_OPTIONS",
            "AWS_LAMBDA_EXEC_WRAPPER");

    /** Variables Lambda sets in every function: code may read them without the template setting them. */
    static final Set<String> LAMBDA_PROVIDED = Set.of("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_LAMBDA_FUNCTION_NAME",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_LOG_GROUP_NAME",
            "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_EXECUTION_ENV", "AWS_LAMBDA_RUNTIME_API", "AWS_LAMBDA_INITIALIZATION_TYPE",
            "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "_HANDLER", "_X_AMZN_TRACE_ID", "TZ", "LANG", "PATH",
            "AWS_XRAY_CONTEXT_MISSING", "AWS_XRAY_DAEMON_ADDRESS");

    private TemplateCodeChecks() {
    }

    // ---------------------------------------------------------------- handlers

    /** Every function names a distinct, existing @Named handler; every handler is deployed. */
    static List<String> handlers(Template template, Map<String, String> compiledHandlers) {
        List<String> problems = new ArrayList<>();
        Map<String, String> deployedBy = new LinkedHashMap<>();
        for (String function : template.functions()) {
            String handler = template.handlerName(function).orElse(null);
            if (handler == null) {
                problems.add(function + " sets no QUARKUS_LAMBDA_HANDLER (a literal handler name)");
                continue;
            }
            String previous = deployedBy.put(handler, function);
            if (previous != null) {
                problems.add(function + " and " + previous + " both run handler " + handler);
            }
            if (!compiledHandlers.containsKey(handler)) {
                problems.add(function + ": QUARKUS_LAMBDA_HANDLER=" + handler + " names no @Named RequestHandler or"
                        + " RequestStreamHandler in the compiled classes (found: " + new TreeMap<>(compiledHandlers).keySet() + ")");
            }
        }
        new TreeMap<>(compiledHandlers).forEach((name, type) -> {
            if (!deployedBy.containsKey(name)) {
                problems.add("handler " + name + " (" + type + ") is deployed by no function");
            }
        });
        return problems;
    }

    // ---------------------------------------------------------------- environment

    /**
     * Every value the code needs without a default is set, unconditionally, for every function; and every variable
     * the template sets is read by something (a typo would otherwise leave the code on its default, silently).
     */
    static List<String> environment(Template template, ConfigReads reads) {
        List<String> problems = new ArrayList<>();
        for (String function : template.functions()) {
            Map<String, Object> env = template.environment(function);
            for (ConfigReads.Read read : reads.required()) {
                Object value = env.get(read.envName());
                if (LAMBDA_PROVIDED.contains(read.envName())) {
                    continue;
                }
                if (value == null) {
                    problems.add(function + ": " + read.origin() + " reads " + read.name()
                            + " with no default, but the template does not set " + read.envName());
                } else if (isConditional(value)) {
                    problems.add(function + ": " + read.envName() + " is required (" + read.origin()
                            + ") but set only under a condition");
                }
            }
        }
        Set<String> known = reads.envNames();
        Map<String, String> setBy = new TreeMap<>();
        template.globalEnvironment().keySet().forEach(v -> setBy.put(v, "Globals.Function"));
        for (String function : template.functions()) {
            template.ownEnvironment(function).keySet().forEach(v -> setBy.putIfAbsent(v, function));
        }
        setBy.forEach((variable, where) -> {
            if (!known.contains(variable) && !variable.startsWith("QUARKUS_") && !RUNTIME_VARIABLES.contains(variable)) {
                problems.add(where + " sets " + variable + ", which no code reads (no config property, "
                        + "application.properties expression or System.getenv has that environment name)");
            }
        });
        return problems;
    }

    // ---------------------------------------------------------------- names

    /**
     * One meaning per name: a template parameter whose environment form ({@code AuditMode} is {@code AUDIT_MODE}) is
     * a setting the code reads passes its value into that variable; a parameter that means something else (a
     * reservation, a throttle) has a name no setting has, so that nobody sets one believing it is the other.
     */
    static List<String> parameterNames(Template template, ConfigReads reads) {
        List<String> problems = new ArrayList<>();
        Set<String> known = reads.envNames();
        for (String parameter : template.parameters().keySet()) {
            String variable = ConfigReads.envName(ConfigReads.kebab(parameter));
            if (!known.contains(variable)) {
                continue;
            }
            boolean passedOn = template.functions().stream().anyMatch(function ->
                    Intrinsics.references(template.environment(function).get(variable)).contains(parameter));
            if (!passedOn) {
                String read = reads.reads().stream().filter(r -> r.envName().equals(variable)).findFirst()
                        .map(ConfigReads.Read::name).orElse(variable);
                problems.add("parameter " + parameter + " has the name of the setting " + variable + " (" + read
                        + "), but no function gets it in " + variable + ": rename the parameter or pass it on");
            }
        }
        return problems;
    }

    static boolean isConditional(Object value) {
        if (value instanceof Map<?, ?> m && m.containsKey("Fn::If")) {
            List<Object> parts = Template.list(m.get("Fn::If"));
            return parts.size() == 3 && (Intrinsics.isNoValue(parts.get(1)) || Intrinsics.isNoValue(parts.get(2))
                    || isConditional(parts.get(1)) || isConditional(parts.get(2)));
        }
        return false;
    }
}
