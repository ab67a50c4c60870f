package dev.contactfunctions.infra;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks {@link TemplateTest} runs on {@code template.yaml}. Each returns the problems it finds, one sentence
 * each, naming the resource; an empty list means the rule holds. {@link TemplateRulesTest} shows that each one fails
 * on a template that breaks it.
 */
final class TemplateRules {

    static final Set<String> PSEUDO_PARAMETERS = Set.of("AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue",
            "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix");

    /** Events that invoke a function asynchronously: failures after Lambda's retries need a destination. */
    static final Set<String> ASYNC_EVENTS = Set.of("ScheduleV2", "Schedule", "S3", "SNS", "EventBridgeRule",
            "CloudWatchEvent", "CloudWatchLogs", "IoTRule", "Cognito");

    /** Variables read by something other than our configuration: the native bootstrap, the JVM, Lambda. */
    static final Set<String> RUNTIME_VARIABLES = Set.of("DISABLE_SIGNAL_HANDLERS", "JAVA_TOOL_OPTIONS",
            "AWS_LAMBDA_EXEC_WRAPPER");

    /** Variables Lambda sets in every function: code may read them without the template setting them. */
    static final Set<String> LAMBDA_PROVIDED = Set.of("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_LAMBDA_FUNCTION_NAME",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_LOG_GROUP_NAME",
            "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_EXECUTION_ENV", "AWS_LAMBDA_RUNTIME_API", "AWS_LAMBDA_INITIALIZATION_TYPE",
            "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "_HANDLER", "_X_AMZN_TRACE_ID", "TZ", "LANG", "PATH",
            "AWS_XRAY_CONTEXT_MISSING", "AWS_XRAY_DAEMON_ADDRESS");

    /** Attributes Fn::GetAtt may ask of the resource types this project uses. */
    static final Map<String, Set<String>> ATTRIBUTES = Map.of(
            "AWS::SQS::Queue", Set.of("Arn", "QueueName", "QueueUrl"),
            "AWS::S3::Bucket", Set.of("Arn", "DomainName", "DualStackDomainName", "RegionalDomainName", "WebsiteURL"),
            "AWS::Logs::LogGroup", Set.of("Arn"),
            "AWS::SNS::Topic", Set.of("TopicArn", "TopicName"),
            "AWS::Serverless::Function", Set.of("Arn"),
            "AWS::Serverless::HttpApi", Set.of("ApiEndpoint", "ApiId"),
            "AWS::DynamoDB::Table", Set.of("Arn", "StreamArn"),
            "AWS::IAM::Role", Set.of("Arn", "RoleId"));

    static final Pattern SECRETISH = Pattern.compile(
            "(?i).*(secret|token|password|passphrase|apikey|api_key|privatekey|private_key|credential).*");
    private static final Pattern CREDENTIAL_RUN = Pattern.compile("[A-Za-z0-9+/=_-]{24,}");
    private static final List<String> CREDENTIAL_PREFIXES = List.of("dG9rO", "AKIA", "ASIA", "sk_live_", "xoxb-",
            "ghp_");
    private static final String SAMPLE_TOKEN = "dG9rOjU1NTU1NTU1XzU1NTU1NTU1LTU1NTVfNTU1NToxOjA=";
    private static final String SAMPLE_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/token-AbCdEf";

    private TemplateRules() {
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

    static boolean isConditional(Object value) {
        if (value instanceof Map<?, ?> m && m.containsKey("Fn::If")) {
            List<Object> parts = Template.list(m.get("Fn::If"));
            return parts.size() == 3 && (Intrinsics.isNoValue(parts.get(1)) || Intrinsics.isNoValue(parts.get(2))
                    || isConditional(parts.get(1)) || isConditional(parts.get(2)));
        }
        return false;
    }

    // ---------------------------------------------------------------- references

    /** Every Ref, GetAtt and Sub target exists (with a known attribute), and every condition named exists. */
    static List<String> references(Template template) {
        List<String> problems = new ArrayList<>();
        Set<String> generated = samGeneratedResources(template);
        Set<String> refTargets = new HashSet<>(template.parameters().keySet());
        refTargets.addAll(template.resources().keySet());
        refTargets.addAll(PSEUDO_PARAMETERS);
        refTargets.addAll(generated);
        Set<String> conditions = template.conditions().keySet();

        Map<String, Object> scopes = new LinkedHashMap<>();
        scopes.put("Conditions", template.conditions());
        scopes.put("Globals", template.section("Globals"));
        template.resources().forEach((id, body) -> scopes.put(id, body));
        template.outputs().forEach((id, body) -> scopes.put("Outputs." + id, body));
        scopes.forEach((scope, body) -> {
            for (Intrinsics.Reference r : Intrinsics.all(body)) {
                switch (r.kind()) {
                    case "If", "Condition" -> {
                        if (!conditions.contains(r.target())) {
                            problems.add(scope + ": condition " + r.target() + " is not defined");
                        }
                    }
                    case "Ref" -> {
                        if (!refTargets.contains(r.target())) {
                            problems.add(scope + ": Ref " + r.target() + " names no parameter or resource");
                        }
                    }
                    default -> {
                        boolean attributeForm = r.kind().equals("GetAtt") || r.attribute() != null;
                        if (!attributeForm) {
                            if (!refTargets.contains(r.target())) {
                                problems.add(scope + ": ${" + r.target() + "} names no parameter or resource");
                            }
                        } else if (!template.resources().containsKey(r.target()) && !generated.contains(r.target())) {
                            problems.add(scope + ": " + r.kind() + " " + r.target() + "." + r.attribute()
                                    + " names no resource");
                        } else if (template.resources().containsKey(r.target())) {
                            Set<String> allowed = ATTRIBUTES.get(template.type(r.target()));
                            if (allowed != null && !allowed.contains(r.attribute())) {
                                problems.add(scope + ": " + r.target() + " (" + template.type(r.target())
                                        + ") has no attribute " + r.attribute() + "; it has " + new java.util.TreeSet<>(allowed));
                            }
                        }
                    }
                }
            }
        });
        template.resources().forEach((id, body) -> {
            Object condition = Template.map(body).get("Condition");
            if (condition != null && !conditions.contains(String.valueOf(condition))) {
                problems.add(id + ": condition " + condition + " is not defined");
            }
        });
        return problems;
    }

    /** Logical ids SAM adds when it transforms the template, which the template may refer to. */
    static Set<String> samGeneratedResources(Template template) {
        Set<String> ids = new LinkedHashSet<>();
        for (String function : template.functions()) {
            Map<String, Object> properties = template.properties(function);
            if (!properties.containsKey("Role")) {
                ids.add(function + "Role");
            }
            if (template.functionProperty(function, "AutoPublishAlias") != null) {
                ids.add(function + ".Alias");
                ids.add(function + ".Version");
            }
            if (properties.containsKey("EventInvokeConfig")) {
                ids.add(function + "EventInvokeConfig");
            }
            template.events(function).forEach((event, body) -> {
                Map<String, Object> e = Template.map(body);
                Map<String, Object> eventProperties = Template.map(e.get("Properties"));
                switch (String.valueOf(e.get("Type"))) {
                    case "ScheduleV2" -> {
                        ids.add(function + event);
                        if (!eventProperties.containsKey("RoleArn")) {
                            ids.add(function + event + "Role");
                        }
                    }
                    case "HttpApi" -> {
                        ids.add(function + event + "Permission");
                        if (!eventProperties.containsKey("ApiId")) {
                            ids.add("ServerlessHttpApi");
                            ids.add("ServerlessHttpApiApiGatewayDefaultStage");
                        }
                    }
                    case "Api" -> ids.add(function + event + "Permission");
                    default -> ids.add(function + event);
                }
            });
        }
        for (String api : template.resourcesOfType("AWS::Serverless::HttpApi")) {
            Object stage = template.properties(api).get("StageName");
            ids.add(stage == null ? api + "ApiGatewayDefaultStage" : api + String.valueOf(stage).replaceAll("[^A-Za-z0-9]", "") + "Stage");
        }
        return ids;
    }

    // ---------------------------------------------------------------- asynchronous failures

    /**
     * Each asynchronous path ends in a dead-letter destination: functions with an asynchronous event have an
     * EventInvokeConfig OnFailure destination (or a DeadLetterQueue) with explicit retries; schedules have a
     * RetryPolicy and a DeadLetterConfig; SQS event sources have a RedrivePolicy; every such queue has an alarm.
     */
    static List<String> deadLetters(Template template) {
        List<String> problems = new ArrayList<>();
        Set<String> deadLetterQueues = new LinkedHashSet<>();
        for (String function : template.functions()) {
            Map<String, Object> properties = template.properties(function);
            boolean async = false;
            for (Map.Entry<String, Object> event : template.events(function).entrySet()) {
                Map<String, Object> e = Template.map(event.getValue());
                String type = String.valueOf(e.get("Type"));
                Map<String, Object> p = Template.map(e.get("Properties"));
                String where = function + "." + event.getKey() + " (" + type + ")";
                async |= ASYNC_EVENTS.contains(type);
                if (type.equals("ScheduleV2") || type.equals("Schedule")) {
                    Map<String, Object> retry = Template.map(p.get("RetryPolicy"));
                    if (!retry.containsKey("MaximumRetryAttempts")) {
                        problems.add(where + " has no RetryPolicy with MaximumRetryAttempts");
                    }
                    Map<String, Object> dlq = Template.map(p.get("DeadLetterConfig"));
                    if (dlq.isEmpty()) {
                        problems.add(where + " has no DeadLetterConfig: failed invocations would be dropped");
                    } else if (dlq.containsKey("Arn")) {
                        queueOf(template, dlq.get("Arn"), where + " DeadLetterConfig", problems)
                                .ifPresent(deadLetterQueues::add);
                    } else if (!"SQS".equals(dlq.get("Type"))) {
                        problems.add(where + " DeadLetterConfig needs an Arn or Type: SQS");
                    }
                }
                if (type.equals("SQS")) {
                    queueOf(template, p.get("Queue"), where + " Queue", problems).ifPresent(queue -> {
                        Map<String, Object> redrive = Template.map(template.properties(queue).get("RedrivePolicy"));
                        if (!redrive.containsKey("deadLetterTargetArn")) {
                            problems.add(queue + " feeds " + function + " but has no RedrivePolicy to a dead-letter queue");
                        } else {
                            queueOf(template, redrive.get("deadLetterTargetArn"), queue + " RedrivePolicy", problems)
                                    .ifPresent(deadLetterQueues::add);
                        }
                    });
                }
            }
            if (!async) {
                continue;
            }
            Map<String, Object> invokeConfig = Template.map(properties.get("EventInvokeConfig"));
            Map<String, Object> onFailure = Template.map(Template.map(invokeConfig.get("DestinationConfig")).get("OnFailure"));
            Map<String, Object> deadLetterQueue = Template.map(properties.get("DeadLetterQueue"));
            if (onFailure.isEmpty() && deadLetterQueue.isEmpty()) {
                problems.add(function + " is invoked asynchronously but has no EventInvokeConfig OnFailure destination"
                        + " (or DeadLetterQueue): a failed run would be lost");
            }
            if (!onFailure.isEmpty()) {
                if (!invokeConfig.containsKey("MaximumRetryAttempts")) {
                    problems.add(function + " EventInvokeConfig sets no MaximumRetryAttempts");
                }
                if ("SQS".equals(onFailure.get("Type"))) {
                    queueOf(template, onFailure.get("Destination"), function + " OnFailure", problems)
                            .ifPresent(deadLetterQueues::add);
                } else if (Intrinsics.references(onFailure.get("Destination")).isEmpty()) {
                    problems.add(function + " OnFailure destination refers to no resource of this template");
                }
            }
            if (!deadLetterQueue.isEmpty() && "SQS".equals(deadLetterQueue.get("Type"))) {
                queueOf(template, deadLetterQueue.get("TargetArn"), function + " DeadLetterQueue", problems)
                        .ifPresent(deadLetterQueues::add);
            }
        }
        for (String mapping : template.resourcesOfType(EVENT_SOURCE_MAPPING)) {
            Object source = template.properties(mapping).get("EventSourceArn");
            sqsQueue(template, source).ifPresent(queue -> {
                Map<String, Object> redrive = Template.map(template.properties(queue).get("RedrivePolicy"));
                if (!redrive.containsKey("deadLetterTargetArn")) {
                    problems.add(queue + " feeds " + mapping + " but has no RedrivePolicy to a dead-letter queue");
                } else {
                    queueOf(template, redrive.get("deadLetterTargetArn"), queue + " RedrivePolicy", problems)
                            .ifPresent(deadLetterQueues::add);
                }
            });
        }
        List<String> alarms = template.resourcesOfType("AWS::CloudWatch::Alarm");
        for (String queue : deadLetterQueues) {
            boolean watched = alarms.stream().map(template::properties).anyMatch(alarm ->
                    "ApproximateNumberOfMessagesVisible".equals(alarm.get("MetricName"))
                            && Intrinsics.references(alarm.get("Dimensions")).contains(queue));
            if (!watched) {
                problems.add("dead-letter queue " + queue + " has no alarm on ApproximateNumberOfMessagesVisible");
            }
        }
        return problems;
    }

    // ---------------------------------------------------------------- queue consumers

    static final String EVENT_SOURCE_MAPPING = "AWS::Lambda::EventSourceMapping";

    /**
     * Every function that consumes an SQS queue (a SAM {@code SQS} event or an {@code AWS::Lambda::EventSourceMapping})
     * reports partial batch failures (else one failed message repeats the whole batch), caps its concurrency with
     * {@code ScalingConfig.MaximumConcurrency} (the calls it makes count against Intercom's rate limit), and its queue
     * gives up after a {@code maxReceiveCount}; a queue named by {@code DEFERRAL_QUEUE_URL} is FIFO (the deferral queue
     * needs per-person order and deduplication) and is consumed by the function that sends to it.
     */
    static List<String> queueConsumers(Template template) {
        List<String> problems = new ArrayList<>();
        Map<String, String> consumerOf = new LinkedHashMap<>();
        Map<String, Map<String, Object>> consumers = new LinkedHashMap<>();
        for (String function : template.functions()) {
            template.eventsOfType(function, "SQS").forEach((event, p) -> sqsQueue(template, p.get("Queue"))
                    .ifPresent(queue -> {
                        consumerOf.put(queue, function);
                        consumers.put(function + "." + event, p);
                    }));
        }
        for (String mapping : template.resourcesOfType(EVENT_SOURCE_MAPPING)) {
            Map<String, Object> p = template.properties(mapping);
            sqsQueue(template, p.get("EventSourceArn")).ifPresent(queue -> {
                Intrinsics.references(p.get("FunctionName")).stream().filter(template.functions()::contains)
                        .findFirst().ifPresent(function -> consumerOf.put(queue, function));
                consumers.put(mapping, p);
            });
        }
        consumers.forEach((where, p) -> {
            if (!Template.list(p.get("FunctionResponseTypes")).contains("ReportBatchItemFailures")) {
                problems.add(where + " does not set FunctionResponseTypes [ReportBatchItemFailures]: one failed"
                        + " message would bring the whole batch back");
            }
            if (!Template.map(p.get("ScalingConfig")).containsKey("MaximumConcurrency")) {
                problems.add(where + " sets no ScalingConfig MaximumConcurrency: its calls to Intercom are unbounded");
            }
        });
        consumerOf.keySet().forEach(queue -> {
            if (!Template.map(template.properties(queue).get("RedrivePolicy")).containsKey("maxReceiveCount")) {
                problems.add(queue + " sets no RedrivePolicy maxReceiveCount: a failing message would come back for ever");
            }
        });
        for (String function : template.functions()) {
            Object url = template.environment(function).get("DEFERRAL_QUEUE_URL");
            if (url == null) {
                continue;
            }
            Optional<String> queue = sqsQueue(template, url);
            if (queue.isEmpty()) {
                problems.add(function + " DEFERRAL_QUEUE_URL does not Ref a queue of this template");
                continue;
            }
            Object fifo = template.properties(queue.get()).get("FifoQueue");
            if (!Boolean.TRUE.equals(fifo) && !"true".equals(String.valueOf(fifo))) {
                problems.add(queue.get() + " is " + function + "'s DEFERRAL_QUEUE_URL but not a FIFO queue");
            }
            if (!function.equals(consumerOf.get(queue.get()))) {
                problems.add(function + " defers to " + queue.get() + " but does not consume it");
            }
        }
        return problems;
    }

    private static Optional<String> sqsQueue(Template template, Object value) {
        return Intrinsics.references(value).stream()
                .filter(target -> template.resources().containsKey(target)
                        && "AWS::SQS::Queue".equals(template.type(target)))
                .findFirst();
    }

    /** The queue resource a value (GetAtt Queue.Arn, Ref) points at. */
    private static java.util.Optional<String> queueOf(Template template, Object value, String where,
            List<String> problems) {
        Set<String> targets = Intrinsics.references(value);
        for (String target : targets) {
            if (template.resources().containsKey(target) && "AWS::SQS::Queue".equals(template.type(target))) {
                return java.util.Optional.of(target);
            }
        }
        problems.add(where + " does not point at an AWS::SQS::Queue of this template (" + value + ")");
        return java.util.Optional.empty();
    }

    // ---------------------------------------------------------------- routes

    /** The HTTP API routes are exactly {@code expected} (POST path -> handler name), payload 2.0, throttled. */
    static List<String> routes(Template template, Map<String, String> expected) {
        List<String> problems = new ArrayList<>();
        Map<String, String> actual = new TreeMap<>();
        Set<String> apis = new LinkedHashSet<>(template.resourcesOfType("AWS::Serverless::HttpApi"));
        for (String function : template.functions()) {
            String handler = template.handlerName(function).orElse("?");
            template.eventsOfType(function, "HttpApi").forEach((event, p) -> {
                String route = p.get("Method") + " " + p.get("Path");
                String where = function + "." + event;
                if (!"POST".equals(String.valueOf(p.get("Method")).toUpperCase(java.util.Locale.ROOT))) {
                    problems.add(where + ": webhooks are POST, not " + p.get("Method"));
                }
                if (!"2.0".equals(String.valueOf(p.get("PayloadFormatVersion")))) {
                    problems.add(where + ": PayloadFormatVersion must be \"2.0\" (the handlers read APIGatewayV2HTTPEvent)");
                }
                if (!apis.stream().anyMatch(api -> Intrinsics.isRef(p.get("ApiId"), api))) {
                    problems.add(where + ": ApiId must Ref the template's AWS::Serverless::HttpApi");
                }
                if (actual.put(String.valueOf(p.get("Path")), handler) != null) {
                    problems.add(where + ": route " + route + " is declared twice");
                }
            });
        }
        expected.forEach((path, handler) -> {
            String found = actual.get(path);
            if (found == null) {
                problems.add("no function serves POST " + path + " (expected handler " + handler + ")");
            } else if (!found.equals(handler)) {
                problems.add("POST " + path + " is served by handler " + found + ", expected " + handler);
            }
        });
        actual.keySet().stream().filter(path -> !expected.containsKey(path))
                .forEach(path -> problems.add("unexpected route " + path + " (handler " + actual.get(path) + ")"));
        for (String api : apis) {
            Map<String, Object> throttling = Template.map(template.properties(api).get("DefaultRouteSettings"));
            if (!throttling.containsKey("ThrottlingRateLimit") || !throttling.containsKey("ThrottlingBurstLimit")) {
                problems.add(api + " sets no DefaultRouteSettings ThrottlingRateLimit and ThrottlingBurstLimit");
            }
        }
        return problems;
    }

    // ---------------------------------------------------------------- secrets

    /**
     * No secret in plain text: secret-like parameters are ARNs whose pattern refuses a token, or NoEcho without a
     * default; secret-like environment variables carry an ARN parameter, never a value or a dynamic reference;
     * nothing in the template looks like a credential.
     */
    static List<String> plaintextSecrets(Template template, String templateText) {
        List<String> problems = new ArrayList<>();
        template.parameters().forEach((name, body) -> {
            Map<String, Object> p = Template.map(body);
            if (!SECRETISH.matcher(name).matches()) {
                return;
            }
            if (name.endsWith("Arn")) {
                Object fallback = p.get("Default");
                if (fallback != null && !String.valueOf(fallback).isEmpty()) {
                    problems.add("parameter " + name + " has a default (" + fallback + "): give each stage its ARN");
                }
                String pattern = (String) p.get("AllowedPattern");
                if (pattern == null) {
                    problems.add("parameter " + name + " has no AllowedPattern: a pasted token would be accepted");
                } else {
                    Pattern allowed = Pattern.compile(pattern);
                    if (allowed.matcher(SAMPLE_TOKEN).matches()) {
                        problems.add("parameter " + name + " accepts a token as its value: AllowedPattern " + pattern);
                    }
                    if (!allowed.matcher(SAMPLE_ARN).matches()) {
                        problems.add("parameter " + name + " refuses a Secrets Manager ARN: AllowedPattern " + pattern);
                    }
                }
            } else {
                if (!Boolean.TRUE.equals(p.get("NoEcho")) && !"true".equals(String.valueOf(p.get("NoEcho")))) {
                    problems.add("parameter " + name + " looks secret but is not NoEcho: true");
                }
                if (p.containsKey("Default")) {
                    problems.add("parameter " + name + " looks secret but has a default");
                }
            }
        });
        Map<String, Map<String, Object>> environments = new LinkedHashMap<>();
        environments.put("Globals.Function", template.globalEnvironment());
        template.functions().forEach(f -> environments.put(f, template.ownEnvironment(f)));
        environments.forEach((where, env) -> env.forEach((variable, value) -> {
            if (!SECRETISH.matcher(variable).matches()) {
                return;
            }
            if (!variable.endsWith("_ARN")) {
                problems.add(where + " sets " + variable + ": secrets reach functions as Secrets Manager ARNs (*_ARN)");
            }
            Set<String> refs = Intrinsics.references(value);
            refs.removeAll(PSEUDO_PARAMETERS);
            if (refs.isEmpty() || !template.parameters().keySet().containsAll(refs)) {
                problems.add(where + " sets " + variable + " to " + value + ": it must Ref an ARN parameter");
            }
        }));
        if (templateText.contains("{{resolve:secretsmanager") || templateText.contains("{{resolve:ssm-secure")) {
            problems.add("the template uses a {{resolve:...}} secret reference: in an environment variable it puts the"
                    + " plaintext into the function's configuration");
        }
        credentialLike(templateText).forEach(token -> problems.add("the template contains what looks like a"
                + " credential: " + token.substring(0, 6) + "..."));
        return problems;
    }

    /** Runs of characters that look like a credential: a known prefix, or 24+ token characters mixing cases and digits. */
    static List<String> credentialLike(String text) {
        List<String> found = new ArrayList<>();
        Matcher m = CREDENTIAL_RUN.matcher(text);
        while (m.find()) {
            String run = m.group();
            boolean mixed = run.chars().anyMatch(Character::isUpperCase) && run.chars().anyMatch(Character::isLowerCase)
                    && run.chars().anyMatch(Character::isDigit);
            if (mixed || CREDENTIAL_PREFIXES.stream().anyMatch(run::startsWith)) {
                found.add(run);
            }
        }
        return found;
    }
}
