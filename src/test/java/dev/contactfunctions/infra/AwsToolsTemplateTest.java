package dev.contactfunctions.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.contactfunctions.deferral.DeferralConfig;
import io.smallrye.config.WithDefault;

/**
 * {@code template.yaml} as AWS's tools see it: {@code cfn-lint} finds nothing (informational findings included), and
 * the CloudFormation template SAM's translator makes of it, for each runtime variant, deploys what the code and the
 * operations expect: functions behind a published alias (SnapStart on the JVM variant), least-privilege roles,
 * routes, schedule and queue mappings that invoke the alias, dead-letter queues that are watched, and stateful
 * resources that survive a stack deletion. Skipped, saying how to install them, where the tools are absent.
 */
class AwsToolsTemplateTest {

    static final Path TEMPLATE = Path.of("template.yaml");
    static final String ALIAS = "live";
    static final String TOKEN_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:intercom/token-AbCdEf";

    static final String LEADS = "LeadCaptureFunction";
    static final String IDENTIFY = "IdentifyMergeFunction";
    static final String AUDIT = "SegmentAuditFunction";

    /** The route each handler serves: the code's handler names, as {@code QUARKUS_LAMBDA_HANDLER} picks them. */
    static final Map<String, String> ROUTES = Map.of(
            "/webhooks/leads", "lead-capture",
            "/webhooks/leads/typeform", "lead-capture",
            "/webhooks/leads/tally", "lead-capture",
            "/webhooks/leads/webflow", "lead-capture",
            "/webhooks/identify", "identify-merge",
            "/webhooks/intercom", "identify-merge");

    private static AwsTemplateTools tools;
    private static Template jvm;
    private static Template nativeVariant;

    @BeforeAll
    static void translate() {
        var found = AwsTemplateTools.find();
        if (found.isEmpty()) {
            System.out.println("AwsToolsTemplateTest skipped: " + AwsTemplateTools.absence());
            return;
        }
        tools = found.get();
        jvm = tools.translate(TEMPLATE, Map.of("RuntimeVariant", "jvm", "IntercomTokenSecretArn", TOKEN_ARN));
        nativeVariant = tools.translate(TEMPLATE, Map.of("RuntimeVariant", "native", "IntercomTokenSecretArn", TOKEN_ARN));
    }

    @BeforeEach
    void toolsInstalled() {
        Assumptions.assumeTrue(tools != null, AwsTemplateTools::absence);
    }

    @Test
    void cfnLintFindsNothingNotEvenInformational() {
        assertThat(tools.lint(TEMPLATE)).as("cfn-lint findings (fix them, or say in the template why one is accepted)")
                .isEmpty();
    }

    // ---------------------------------------------------------------- functions

    @Test
    void theJvmVariantStartsFromASnapStartSnapshotOfThePublishedVersionAndNativeRunsTheBootstrap() {
        for (String function : List.of(LEADS, IDENTIFY, AUDIT)) {
            Map<String, Object> java = deployed(jvm, function, false);
            assertThat(java.get("Runtime")).isEqualTo("java21");
            assertThat(java.get("Handler")).isEqualTo("io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest");
            assertThat(java.get("SnapStart")).as(function).isEqualTo(Map.of("ApplyOn", "PublishedVersions"));

            Map<String, Object> binary = deployed(nativeVariant, function, true);
            assertThat(binary.get("Runtime")).isEqualTo("provided.al2023");
            assertThat(binary).as("%s: SnapStart exists for managed runtimes only", function)
                    .doesNotContainKey("SnapStart");
            for (Template variant : List.of(jvm, nativeVariant)) {
                assertThat(Template.map(variant.properties(function).get("Code")))
                        .as("the one artifact, target/function.zip, uploaded by sam package")
                        .containsEntry("S3Key", "function.zip");
                String alias = function + "Alias" + ALIAS;
                assertThat(variant.type(alias)).isEqualTo("AWS::Lambda::Alias");
                assertThat(variant.properties(alias).get("Name")).isEqualTo(ALIAS);
                assertThat(Intrinsics.isRef(variant.properties(alias).get("FunctionName"), function)).isTrue();
                String version = Intrinsics.references(variant.properties(alias).get("FunctionVersion")).iterator().next();
                assertThat(variant.type(version)).isEqualTo("AWS::Lambda::Version");
            }
        }
    }

    // ---------------------------------------------------------------- routes

    @Test
    void eachWebhookRouteInvokesTheAliasOfTheFunctionRunningItsHandler() {
        Map<String, Object> body = Template.map(jvm.properties("WebhookApi").get("Body"));
        Map<String, Object> paths = Template.map(body.get("paths"));
        assertThat(paths.keySet()).containsExactlyInAnyOrderElementsOf(ROUTES.keySet());
        Map<String, String> served = new TreeMap<>();
        paths.forEach((path, operations) -> {
            assertThat(Template.map(operations).keySet()).as(path).containsExactly("post");
            Map<String, Object> integration = Template.map(Template.map(Template.map(operations).get("post"))
                    .get("x-amazon-apigateway-integration"));
            assertThat(integration).as(path).containsEntry("type", "aws_proxy")
                    .containsEntry("payloadFormatVersion", "2.0");
            String alias = Intrinsics.references(integration.get("uri")).stream()
                    .filter(target -> "AWS::Lambda::Alias".equals(jvm.type(target))).findFirst()
                    .orElseThrow(() -> new AssertionError(path + " does not invoke an alias: " + integration));
            String function = aliasedFunction(jvm, alias);
            served.put(path, handlerName(jvm, function));

            List<String> permissions = jvm.resourcesOfType("AWS::Lambda::Permission").stream()
                    .filter(p -> Intrinsics.isRef(jvm.properties(p).get("FunctionName"), alias))
                    // the route itself, not a longer one under it (/webhooks/leads/typeform for /webhooks/leads)
                    .filter(p -> java.util.regex.Pattern.compile("/POST" + java.util.regex.Pattern.quote(path)
                            + "(?![/\\w-])").matcher(String.valueOf(jvm.properties(p).get("SourceArn"))).find())
                    .toList();
            assertThat(permissions).as("API Gateway may invoke %s for POST %s", alias, path).singleElement()
                    .satisfies(p -> assertThat(jvm.properties(p).get("Principal")).isEqualTo("apigateway.amazonaws.com"));
        });
        assertThat(served).isEqualTo(new TreeMap<>(ROUTES));

        List<String> stages = jvm.resourcesOfType("AWS::ApiGatewayV2::Stage");
        assertThat(stages).singleElement().satisfies(stage -> {
            Map<String, Object> throttling = Template.map(jvm.properties(stage).get("DefaultRouteSettings"));
            assertThat(Intrinsics.isRef(throttling.get("ThrottlingRateLimit"), "WebhookThrottleRateLimit")).isTrue();
            assertThat(Intrinsics.isRef(throttling.get("ThrottlingBurstLimit"), "WebhookThrottleBurstLimit")).isTrue();
            assertThat(Template.map(jvm.properties(stage).get("AccessLogSettings"))).containsKey("DestinationArn");
        });
    }

    // ---------------------------------------------------------------- schedule

    @Test
    void theScheduleInvokesTheAuditAliasRetriesAndDeadLettersAndMayDoNothingElse() {
        List<String> schedules = jvm.resourcesOfType("AWS::Scheduler::Schedule");
        assertThat(schedules).singleElement();
        Map<String, Object> schedule = jvm.properties(schedules.get(0));
        Map<String, Object> target = Template.map(schedule.get("Target"));
        assertThat(Intrinsics.isRef(target.get("Arn"), AUDIT + "Alias" + ALIAS)).isTrue();
        assertThat(Intrinsics.isRef(schedule.get("ScheduleExpression"), "AuditSchedule")).isTrue();
        assertThat(Template.map(target.get("RetryPolicy"))).containsKey("MaximumRetryAttempts");
        Object deadLetters = Template.map(target.get("DeadLetterConfig")).get("Arn");
        assertThat(Intrinsics.isGetAtt(deadLetters, "AuditScheduleDeadLetterQueue", "Arn")).isTrue();

        String role = Intrinsics.references(target.get("RoleArn")).iterator().next();
        assertThat(statements(jvm, role, true)).extracting(st -> st.get("Action") + " on " + Intrinsics.references(st.get("Resource")))
                .containsExactlyInAnyOrder("lambda:InvokeFunction on [" + AUDIT + "Alias" + ALIAS + "]",
                        "sqs:SendMessage on [AuditScheduleDeadLetterQueue]");

        List<String> invokeConfigs = jvm.resourcesOfType("AWS::Lambda::EventInvokeConfig");
        assertThat(invokeConfigs).singleElement().satisfies(config -> {
            Map<String, Object> p = jvm.properties(config);
            assertThat(Intrinsics.isRef(p.get("FunctionName"), AUDIT)).isTrue();
            assertThat(p.get("Qualifier")).as("failures of the alias' invocations").isEqualTo(ALIAS);
            assertThat(p).containsKey("MaximumRetryAttempts");
            Object onFailure = Template.map(Template.map(p.get("DestinationConfig")).get("OnFailure")).get("Destination");
            assertThat(Intrinsics.isGetAtt(onFailure, "AuditFailureQueue", "Arn")).isTrue();
        });
    }

    // ---------------------------------------------------------------- queues

    @Test
    void eachWebhookFunctionDefersToItsOwnFifoQueueWhoseMappingInvokesItsAliasWithinIntercomsRateLimit() {
        Map<String, String> queues = Map.of(LEADS, "LeadCaptureDeferralQueue", IDENTIFY, "IdentifyMergeDeferralQueue");
        List<String> mappings = jvm.resourcesOfType("AWS::Lambda::EventSourceMapping");
        assertThat(mappings).hasSize(queues.size());
        int timeout = ((Number) deployed(jvm, LEADS, false).get("Timeout")).intValue();
        int maxAttempts = Integer.parseInt(defaultOf(DeferralConfig.class, "maxAttempts"));
        queues.forEach((function, queue) -> {
            Map<String, Object> variables = Template.map(Template.map(deployed(jvm, function, false)
                    .get("Environment")).get("Variables"));
            assertThat(Intrinsics.isRef(variables.get("DEFERRAL_QUEUE_URL"), queue)).as("%s defers to %s", function,
                    queue).isTrue();
            List<String> consumers = mappings.stream()
                    .filter(m -> Intrinsics.isGetAtt(jvm.properties(m).get("EventSourceArn"), queue, "Arn")).toList();
            assertThat(consumers).as("%s is consumed once", queue).singleElement().satisfies(mapping -> {
                Map<String, Object> p = jvm.properties(mapping);
                assertThat(Intrinsics.isRef(p.get("FunctionName"), function + "Alias" + ALIAS))
                        .as("%s invokes the alias, not $LATEST", mapping).isTrue();
                assertThat(Template.list(p.get("FunctionResponseTypes"))).containsExactly("ReportBatchItemFailures");
                assertThat(Intrinsics.isRef(Template.map(p.get("ScalingConfig")).get("MaximumConcurrency"),
                        "DeferredDeliveryConcurrency")).isTrue();
            });
            Map<String, Object> properties = jvm.properties(queue);
            assertThat(properties.get("FifoQueue")).isEqualTo(true);
            assertThat(((Number) properties.get("VisibilityTimeout")).intValue())
                    .as("%s: AWS asks for 6 x the function's timeout", queue).isGreaterThanOrEqualTo(6 * timeout);
            Map<String, Object> redrive = Template.map(properties.get("RedrivePolicy"));
            // SQS counts untried receives too: its redrive must never come before the consumer's real attempts
            assertThat(((Number) redrive.get("maxReceiveCount")).intValue())
                    .as("%s: the redrive is a backstop well above the consumer's %d real attempts", queue, maxAttempts)
                    .isGreaterThanOrEqualTo(10 * maxAttempts);
            String deadLetters = Intrinsics.references(redrive.get("deadLetterTargetArn")).iterator().next();
            assertThat(jvm.properties(deadLetters).get("FifoQueue")).as("a FIFO queue's DLQ is FIFO").isEqualTo(true);
            assertThat(Intrinsics.isRef(variables.get("DEFERRAL_DEAD_LETTER_QUEUE_URL"), deadLetters))
                    .as("%s dead-letters to %s itself", function, deadLetters).isTrue();
        });
        Map<String, Object> concurrency = Template.map(jvm.parameters().get("DeferredDeliveryConcurrency"));
        assertThat(concurrency.get("MinValue")).as("Lambda's least MaximumConcurrency").isEqualTo(2);
        // 2 queues x instances x about 8 calls/s each must stay well under 10,000 calls/min (166/s) per app
        assertThat(2 * ((Number) concurrency.get("Default")).intValue() * 8).isLessThan(166 / 2);
    }

    // ---------------------------------------------------------------- roles

    @Test
    void eachRoleGrantsItsFunctionExactlyWhatItsCodeCallsOnItsOwnResources() {
        Map<String, Set<String>> secrets = Map.of(
                // each form tool its own key, none of them the identify route's
                LEADS, Set.of("IntercomTokenSecretArn", "WebhookSigningSecretArn", "TypeformSigningSecretArn",
                        "TallySigningSecretArn", "WebflowSigningSecretArn", "WebflowUrlTokenSecretArn",
                        "PrivacyHashKeySecret"),
                // one key per sender: identify never reads the lead route's key, which form relays hold
                IDENTIFY, Set.of("IntercomTokenSecretArn", "IdentifySigningSecretArn", "IntercomClientSecretArn",
                        "PrivacyHashKeySecret"),
                AUDIT, Set.of("IntercomTokenSecretArn", "PrivacyHashKeySecret"));
        Map<String, Map<String, Set<String>>> grants = Map.of(
                LEADS, Map.of("LedgerTable", Set.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem"),
                        "LeadCaptureDeferralQueue", Set.of("sqs:SendMessage", "sqs:ReceiveMessage",
                                "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"),
                        "LeadCaptureDeferralDeadLetterQueue", Set.of("sqs:SendMessage")),
                IDENTIFY, Map.of("LedgerTable", Set.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem"),
                        "IdentifyMergeDeferralQueue", Set.of("sqs:SendMessage", "sqs:ReceiveMessage",
                                "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"),
                        "IdentifyMergeDeferralDeadLetterQueue", Set.of("sqs:SendMessage")),
                AUDIT, Map.of("LedgerTable", Set.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem"),
                        "AuditReportBucket", Set.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"),
                        // SAM's grant for the EventInvokeConfig's OnFailure destination
                        "AuditFailureQueue", Set.of("sqs:SendMessage")));
        assertThat(jvm.resourcesOfType("AWS::Lambda::Function")).containsExactlyInAnyOrderElementsOf(secrets.keySet());

        for (String function : secrets.keySet()) {
            String role = Intrinsics.references(deployed(jvm, function, false).get("Role")).iterator().next();
            assertThat(Template.list(jvm.properties(role).get("ManagedPolicyArns"))).as("%s: logs and traces only", role)
                    .containsExactlyInAnyOrder("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                            "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess");
            List<Map<String, Object>> all = statements(jvm, role, true);
            for (Map<String, Object> statement : all) {
                assertThat(statement.get("Effect")).isEqualTo("Allow");
                assertThat(String.valueOf(statement.get("Action"))).as("%s: %s", role, statement).doesNotContain("*");
                assertThat(statement.get("Resource")).as("%s: %s", role, statement).isNotEqualTo("*");
            }
            assertThat(secretParameters(all)).as("%s reads exactly its secrets", function).isEqualTo(secrets.get(function));
            assertThat(secretParameters(statements(jvm, role, false)))
                    .as("%s: optional secrets only when their ARN is given", function)
                    .containsExactly("IntercomTokenSecretArn", "PrivacyHashKeySecret");
            Map<String, Set<String>> granted = new TreeMap<>();
            all.stream().filter(st -> !String.valueOf(st.get("Action")).startsWith("secretsmanager:")).forEach(st ->
                    Intrinsics.references(st.get("Resource")).forEach(resource -> granted
                            .computeIfAbsent(resource, r -> new TreeSet<>()).addAll(actions(st))));
            assertThat(granted).as("%s's grants", function).isEqualTo(new TreeMap<>(grants.get(function)));
        }
    }

    // ---------------------------------------------------------------- alarms

    @Test
    void everyFunctionEveryDeadLetterQueueAndTheApiAreWatched() {
        List<String> alarms = jvm.resourcesOfType("AWS::CloudWatch::Alarm");
        for (String function : List.of(LEADS, IDENTIFY, AUDIT)) {
            for (String metric : List.of("Errors", "Throttles")) {
                assertThat(alarms).as("%s alarm of %s", metric, function).anyMatch(alarm ->
                        watches(alarm, "AWS/Lambda", metric, function));
            }
        }
        Set<String> deadLetterQueues = new TreeSet<>();
        for (String queue : jvm.resourcesOfType("AWS::SQS::Queue")) {
            deadLetterQueues.addAll(Intrinsics.references(Template.map(jvm.properties(queue).get("RedrivePolicy"))
                    .get("deadLetterTargetArn")));
        }
        jvm.resourcesOfType("AWS::Scheduler::Schedule").forEach(s -> deadLetterQueues.addAll(Intrinsics.references(
                Template.map(Template.map(jvm.properties(s).get("Target")).get("DeadLetterConfig")).get("Arn"))));
        jvm.resourcesOfType("AWS::Lambda::EventInvokeConfig").forEach(c -> deadLetterQueues.addAll(
                Intrinsics.references(jvm.properties(c).get("DestinationConfig"))));
        assertThat(deadLetterQueues).containsExactlyInAnyOrder("AuditFailureQueue", "AuditScheduleDeadLetterQueue",
                "LeadCaptureDeferralDeadLetterQueue", "IdentifyMergeDeferralDeadLetterQueue");
        for (String queue : deadLetterQueues) {
            assertThat(alarms).as("an alarm on the messages waiting in %s", queue).anyMatch(alarm ->
                    watches(alarm, "AWS/SQS", "ApproximateNumberOfMessagesVisible", queue));
        }
        assertThat(alarms).anyMatch(alarm -> watches(alarm, "AWS/ApiGateway", "5xx", "WebhookApi"));
        for (String alarm : alarms) {
            assertThat(Template.list(jvm.properties(alarm).get("AlarmActions"))).as(alarm)
                    .containsExactly(Map.of("Ref", "AlarmTopic"));
        }
    }

    // ---------------------------------------------------------------- retention

    @Test
    void whatHoldsDataIsRetainedWhenTheStackIsDeletedOrTheResourceReplaced() {
        List<String> stateful = new ArrayList<>();
        for (String type : List.of("AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::SQS::Queue", "AWS::Logs::LogGroup")) {
            stateful.addAll(jvm.resourcesOfType(type));
        }
        assertThat(stateful).contains("LedgerTable", "AuditReportBucket", "AuditFailureQueue",
                "AuditScheduleDeadLetterQueue", "LeadCaptureDeferralDeadLetterQueue",
                "IdentifyMergeDeferralDeadLetterQueue", "LeadCaptureFunctionLogGroup", "WebhookApiAccessLogGroup");
        for (String resource : stateful) {
            assertThat(jvm.resource(resource)).as(resource).containsEntry("DeletionPolicy", "Retain")
                    .containsEntry("UpdateReplacePolicy", "Retain");
        }
    }

    // ---------------------------------------------------------------- helpers

    /** A function's properties as deployed for the variant (native or not), with every optional secret given. */
    private static Map<String, Object> deployed(Template variant, String function, boolean isNative) {
        Map<String, Boolean> conditions = new LinkedHashMap<>();
        variant.conditions().keySet().forEach(c -> conditions.put(c, true));
        conditions.put("IsNative", isNative);
        return Template.map(Intrinsics.decide(variant.properties(function), conditions));
    }

    private static String aliasedFunction(Template variant, String alias) {
        return Intrinsics.references(variant.properties(alias).get("FunctionName")).iterator().next();
    }

    private static String handlerName(Template variant, String function) {
        Map<String, Object> environment = Template.map(deployed(variant, function, false).get("Environment"));
        return String.valueOf(Template.map(environment.get("Variables")).get("QUARKUS_LAMBDA_HANDLER"));
    }

    /** A role's inline policy statements with every condition true (all secrets given) or false. */
    private static List<Map<String, Object>> statements(Template variant, String role, boolean conditions) {
        Map<String, Boolean> all = new LinkedHashMap<>();
        variant.conditions().keySet().forEach(c -> all.put(c, conditions));
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Object policy : Template.list(variant.properties(role).get("Policies"))) {
            Map<String, Object> document = Template.map(Template.map(Intrinsics.decide(policy, all)).get("PolicyDocument"));
            Template.list(document.get("Statement")).forEach(s -> statements.add(Template.map(s)));
        }
        return statements;
    }

    private static Set<String> actions(Map<String, Object> statement) {
        Object action = statement.get("Action");
        return action instanceof List<?> list ? list.stream().map(String::valueOf).collect(Collectors.toSet())
                : Set.of(String.valueOf(action));
    }

    private static Set<String> secretParameters(List<Map<String, Object>> statements) {
        return statements.stream().filter(s -> "secretsmanager:GetSecretValue".equals(s.get("Action")))
                .flatMap(s -> Intrinsics.references(s.get("Resource")).stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static boolean watches(String alarm, String namespace, String metric, String resource) {
        Map<String, Object> p = jvm.properties(alarm);
        return namespace.equals(p.get("Namespace")) && metric.equals(p.get("MetricName"))
                && Intrinsics.references(p.get("Dimensions")).contains(resource);
    }

    /** The {@code @WithDefault} of a config mapping's member: what a function runs with when no variable sets it. */
    private static String defaultOf(Class<?> mapping, String member) {
        try {
            return mapping.getMethod(member).getAnnotation(WithDefault.class).value();
        } catch (NoSuchMethodException e) {
            throw new AssertionError(mapping.getSimpleName() + " has no " + member, e);
        }
    }
}
