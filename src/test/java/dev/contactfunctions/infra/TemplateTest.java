package dev.contactfunctions.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Checks {@code template.yaml} (parsed with CloudFormation's short tags), {@code samconfig.toml} and
 * {@code infra/parameters} against the compiled code and against the rules of the deployment:
 * <ul>
 * <li>every function's {@code QUARKUS_LAMBDA_HANDLER} names a {@code @Named} handler found in
 * {@code target/classes}, and every handler is deployed (so this fails until the three function branches are
 * merged);</li>
 * <li>every value the code reads without a default is set for every function, and every variable the template sets
 * is read by the code (rules in {@link ConfigReads});</li>
 * <li>the webhook routes reach their handlers; every Ref/GetAtt/Sub target and condition exists; every asynchronous
 * path ends in an alarmed dead-letter queue; no secret appears in plain text (rules in {@link TemplateRules});</li>
 * <li>the deployment choices themselves: native by default with a JVM switch, least-privilege policies, log
 * retention, alarms, the report bucket, outputs, and stage files that agree with the template.</li>
 * </ul>
 */
class TemplateTest {

    static final Path TEMPLATE = Path.of("template.yaml");
    static final Path SAMCONFIG = Path.of("samconfig.toml");
    static final Path PARAMETERS = Path.of("infra", "parameters");
    static final Path DEPLOY_PAGE = Path.of("docs", "deploy.md");
    static final String JVM_HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler";

    static final String LEADS = "LeadCaptureFunction";
    static final String IDENTIFY = "IdentifyMergeFunction";
    static final String AUDIT = "SegmentAuditFunction";

    private static Template template;
    private static String templateText;

    @BeforeAll
    static void readTemplate() throws IOException {
        templateText = Files.readString(TEMPLATE);
        template = Template.read(TEMPLATE);
    }

    // ---------------------------------------------------------------- the template's rules

    @Test
    void everyFunctionRunsANamedHandlerThatExistsInTheCompiledCode() {
        Map<String, String> handlers = CompiledClasses.main().handlers();

        assertThat(TemplateRules.handlers(template, handlers)).isEmpty();
    }

    @Test
    void everyValueTheCodeReadsIsSetOrHasADefaultAndEveryVariableSetIsRead() {
        assertThat(TemplateRules.environment(template, ConfigReads.main())).isEmpty();
    }

    @Test
    void webhookRoutesReachTheirHandlers() {
        Map<String, String> expected = Map.of(
                "/webhooks/leads", "lead-capture",
                "/webhooks/identify", "identify-merge",
                "/webhooks/intercom", "identify-merge");

        assertThat(TemplateRules.routes(template, expected)).isEmpty();
        assertThat(template.handlerName(LEADS)).contains("lead-capture");
        assertThat(template.handlerName(IDENTIFY)).contains("identify-merge");
        assertThat(template.handlerName(AUDIT)).contains("segment-audit");
    }

    @Test
    void everyReferenceAndConditionHasATarget() {
        assertThat(TemplateRules.references(template)).isEmpty();
    }

    @Test
    void everyAsynchronousPathEndsInAnAlarmedDeadLetterQueue() throws IOException {
        assertThat(TemplateRules.deadLetters(template)).isEmpty();

        Map<String, Object> schedule = template.eventsOfType(AUDIT, "ScheduleV2").get("AuditSchedule");
        assertThat(schedule).as("the audit runs on ScheduleV2").isNotNull();
        assertThat(Intrinsics.isRef(schedule.get("ScheduleExpression"), "AuditSchedule")).isTrue();
        JsonNode input = new ObjectMapper().readTree(String.valueOf(schedule.get("Input")));
        assertThat(input.path("source").asText()).isEqualTo("aws.scheduler");
        Map<String, Object> invokeConfig = Template.map(template.properties(AUDIT).get("EventInvokeConfig"));
        Map<String, Object> onFailure = Template.map(Template.map(invokeConfig.get("DestinationConfig")).get("OnFailure"));
        assertThat(Intrinsics.isGetAtt(onFailure.get("Destination"), "AuditFailureQueue", "Arn")).isTrue();
    }

    @Test
    void noSecretAppearsInPlainText() throws IOException {
        assertThat(TemplateRules.plaintextSecrets(template, templateText)).isEmpty();

        List<Path> stageFiles = new ArrayList<>(List.of(SAMCONFIG));
        stageFiles.addAll(parameterFiles());
        for (Path file : stageFiles) {
            assertThat(TemplateRules.credentialLike(Files.readString(file))).as("credential-like text in %s", file)
                    .isEmpty();
        }
        for (Map.Entry<String, Map<String, String>> stage : stageValues().entrySet()) {
            stage.getValue().forEach((key, value) -> {
                if (TemplateRules.SECRETISH.matcher(key).matches()) {
                    assertThat(key).as("%s: secrets are passed as ARNs", stage.getKey()).endsWith("Arn");
                    assertThat(value).as("%s: %s", stage.getKey(), key).matches("|arn:aws[a-z-]*:secretsmanager:.*");
                }
            });
        }
    }

    @Test
    void eachWebhookFunctionDefersToItsOwnFifoQueueAndConsumesItWithinIntercomsRateLimit() {
        assertThat(TemplateRules.queueConsumers(template)).isEmpty();

        Map<String, String> queues = Map.of(LEADS, "LeadCaptureDeferralQueue", IDENTIFY, "IdentifyMergeDeferralQueue");
        queues.forEach((function, queue) -> {
            assertThat(Intrinsics.isRef(template.ownEnvironment(function).get("DEFERRAL_QUEUE_URL"), queue))
                    .as("%s defers to %s", function, queue).isTrue();
            Map<String, Object> properties = template.properties(queue);
            assertThat(properties.get("FifoQueue")).isEqualTo(true);
            Map<String, Object> redrive = Template.map(properties.get("RedrivePolicy"));
            assertThat(redrive.get("maxReceiveCount")).isEqualTo(5);
            assertThat(Integer.parseInt(String.valueOf(properties.get("VisibilityTimeout"))))
                    .as("%s: a try must end before its message comes back (6 x the function's Timeout)", queue)
                    .isGreaterThanOrEqualTo(6 * Integer.parseInt(String.valueOf(
                            template.globalFunction().get("Timeout"))));
            String deadLetters = Intrinsics.references(redrive.get("deadLetterTargetArn")).iterator().next();
            assertThat(template.properties(deadLetters).get("FifoQueue")).as("a FIFO queue's DLQ is FIFO").isEqualTo(true);

            List<Map<String, Object>> statements = statements(function, true);
            assertThat(statements).filteredOn(st -> String.valueOf(st.get("Action")).contains("sqs:")).allSatisfy(st ->
                    assertThat(Intrinsics.references(st.get("Resource"))).as("%s: %s", function, st)
                            .containsExactly(queue));
            assertThat(statements).anyMatch(st -> "sqs:SendMessage".equals(st.get("Action")));
        });
        List<String> mappings = template.resourcesOfType(TemplateRules.EVENT_SOURCE_MAPPING);
        assertThat(mappings).hasSize(2).allSatisfy(mapping -> assertThat(Intrinsics.isRef(
                Template.map(template.properties(mapping).get("ScalingConfig")).get("MaximumConcurrency"),
                "DeferredDeliveryConcurrency")).isTrue());
        Map<String, Object> concurrency = Template.map(template.parameters().get("DeferredDeliveryConcurrency"));
        assertThat(concurrency.get("MinValue")).as("Lambda's least MaximumConcurrency").isEqualTo(2);
        // 2 queues x instances x about 8 calls/s each must stay well under 10,000 calls/min (166/s) per app
        assertThat(2 * Integer.parseInt(String.valueOf(concurrency.get("Default"))) * 8).isLessThan(166 / 2);
    }

    @Test
    void theLedgerIsOnDemandExpiresItsItemsKeepsRecoveryPointsAndEachFunctionMayOnlyReadAndWriteItsItems() {
        Map<String, Object> table = template.properties("LedgerTable");
        assertThat(table.get("BillingMode")).isEqualTo("PAY_PER_REQUEST");
        assertThat(Template.map(table.get("TimeToLiveSpecification")))
                .containsEntry("AttributeName", "expires_at").containsEntry("Enabled", true);
        assertThat(Template.map(table.get("PointInTimeRecoverySpecification")))
                .containsEntry("PointInTimeRecoveryEnabled", true);
        assertThat(String.valueOf(table.get("KeySchema"))).contains("AttributeName=pk", "KeyType=HASH");
        assertThat(Intrinsics.isRef(template.globalEnvironment().get("LEDGER_TABLE"), "LedgerTable")).isTrue();

        for (String function : template.functions()) {
            List<Map<String, Object>> ledger = statements(function, true).stream()
                    .filter(st -> String.valueOf(st.get("Action")).contains("dynamodb:")).toList();
            assertThat(ledger).as("%s uses the ledger", function).singleElement().satisfies(st -> {
                assertThat(Intrinsics.isGetAtt(st.get("Resource"), "LedgerTable", "Arn")).isTrue();
                // what DynamoDbLedger calls, and nothing else
                assertThat(Template.list(st.get("Action")))
                        .containsExactlyInAnyOrder("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem");
            });
        }
    }

    // ---------------------------------------------------------------- deployment choices

    @Test
    void jvmIsTheDefaultAndTheNativeVariantSwapsOnlyRuntimeAndHandler() {
        Map<String, Object> variant = Template.map(template.parameters().get("RuntimeVariant"));
        assertThat(variant.get("Default")).as("what a plain ./mvnw package builds").isEqualTo("jvm");
        assertThat(Template.list(variant.get("AllowedValues"))).containsExactly("native", "jvm");
        assertThat(template.conditions().get("IsNative"))
                .isEqualTo(Map.of("Fn::Equals", List.of(Map.of("Ref", "RuntimeVariant"), "native")));

        Map<String, Object> nativeGlobals = decide(template.globalFunction(), true);
        Map<String, Object> jvmGlobals = decide(template.globalFunction(), false);
        assertThat(nativeGlobals.get("Runtime")).isEqualTo("provided.al2023");
        assertThat(nativeGlobals.get("Handler")).isEqualTo("not.used.in.provided.runtime");
        assertThat(jvmGlobals.get("Runtime")).isEqualTo("java21");
        assertThat(jvmGlobals.get("Handler"))
                .isEqualTo("io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest");
        for (Map<String, Object> globals : List.of(nativeGlobals, jvmGlobals)) {
            assertThat(globals.get("CodeUri")).isEqualTo("target/function.zip");
            assertThat(globals.get("Tracing")).isEqualTo("Active");
            assertThat(Template.map(Template.map(globals.get("Environment")).get("Variables")))
                    .containsEntry("DISABLE_SIGNAL_HANDLERS", "true");
        }
        for (String function : template.functions()) {
            assertThat(template.properties(function)).as("%s must take runtime, handler and code from Globals", function)
                    .doesNotContainKeys("Runtime", "Handler", "CodeUri", "PackageType");
        }
    }

    @Test
    void eachFunctionReadsOnlyItsOwnSecretsAndTheAuditWritesOnlyItsBucket() {
        Map<String, Set<String>> secrets = Map.of(
                LEADS, Set.of("IntercomTokenSecretArn", "WebhookSigningSecretArn"),
                IDENTIFY, Set.of("IntercomTokenSecretArn", "WebhookSigningSecretArn", "IntercomClientSecretArn"),
                AUDIT, Set.of("IntercomTokenSecretArn"));
        assertThat(template.functions()).containsExactlyInAnyOrderElementsOf(secrets.keySet());

        for (String function : template.functions()) {
            List<Map<String, Object>> withAllSecrets = statements(function, true);
            List<Map<String, Object>> withRequiredOnly = statements(function, false);
            for (Map<String, Object> statement : withAllSecrets) {
                assertThat(statement.get("Effect")).isEqualTo("Allow");
                assertThat(String.valueOf(statement.get("Action"))).as("%s: %s", function, statement)
                        .doesNotContain("*");
                assertThat(statement.get("Resource")).as("%s: %s", function, statement).isNotEqualTo("*");
                assertThat(statement).containsKey("Sid");
            }
            assertThat(secretParameters(withAllSecrets)).as("%s reads exactly its secrets", function)
                    .isEqualTo(secrets.get(function));
            assertThat(secretParameters(withRequiredOnly)).as("%s: optional secrets only when their ARN is given",
                    function).containsExactly("IntercomTokenSecretArn");
            Set<String> environmentArns = template.environment(function).entrySet().stream()
                    .filter(e -> e.getKey().endsWith("_SECRET_ARN"))
                    .flatMap(e -> Intrinsics.references(e.getValue()).stream())
                    .filter(ref -> !ref.equals("AWS::NoValue"))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(environmentArns).as("%s is told exactly the secrets it may read", function)
                    .isEqualTo(new TreeSet<>(secrets.get(function)));
        }

        for (String function : List.of(LEADS, IDENTIFY)) {
            assertThat(statements(function, true)).as("%s touches no bucket", function)
                    .noneMatch(s -> String.valueOf(s.get("Action")).contains("s3:"));
        }
        List<Map<String, Object>> storage = statements(AUDIT, true).stream()
                .filter(s -> String.valueOf(s.get("Action")).contains("s3:")).toList();
        assertThat(storage).isNotEmpty().allSatisfy(s -> {
            assertThat(Intrinsics.references(s.get("Resource"))).as("%s", s).containsExactly("AuditReportBucket");
            assertThat(Template.list(s.get("Action")).isEmpty() ? List.of(s.get("Action")) : Template.list(s.get("Action")))
                    .isSubsetOf("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket");
        });
        assertThat(storage).anyMatch(s -> Template.list(s.get("Action")).contains("s3:PutObject")
                && Map.of("Fn::Sub", "${AuditReportBucket.Arn}/*").equals(s.get("Resource")));
        assertThat(Intrinsics.isRef(template.ownEnvironment(AUDIT).get("AUDIT_REPORT_BUCKET"), "AuditReportBucket"))
                .isTrue();
        assertThat(Intrinsics.isRef(template.ownEnvironment(AUDIT).get("AUDIT_MODE"), "AuditMode")).isTrue();
    }

    @Test
    void eachFunctionLogsToAGroupWithRetention() {
        for (String function : template.functions()) {
            String group = function + "LogGroup";
            assertThat(template.type(group)).as(group).isEqualTo("AWS::Logs::LogGroup");
            assertThat(template.properties(group).get("LogGroupName"))
                    .isEqualTo(Map.of("Fn::Sub", "/aws/lambda/${" + function + "}"));
            assertThat(Intrinsics.isRef(template.properties(group).get("RetentionInDays"), "LogRetentionDays"))
                    .isTrue();
        }
    }

    @Test
    void eachFunctionIsWatchedForErrorsAndThrottlesAndTheApiFor5xx() {
        List<String> alarms = template.resourcesOfType("AWS::CloudWatch::Alarm");
        for (String function : template.functions()) {
            for (String metric : List.of("Errors", "Throttles")) {
                assertThat(alarms).as("%s alarm of %s", metric, function).anyMatch(alarm -> {
                    Map<String, Object> p = template.properties(alarm);
                    return "AWS/Lambda".equals(p.get("Namespace")) && metric.equals(p.get("MetricName"))
                            && Intrinsics.references(p.get("Dimensions")).contains(function);
                });
            }
        }
        assertThat(alarms).anyMatch(alarm -> "5xx".equals(template.properties(alarm).get("MetricName"))
                && Intrinsics.references(template.properties(alarm).get("Dimensions")).contains("WebhookApi"));
        for (String alarm : alarms) {
            assertThat(Template.list(template.properties(alarm).get("AlarmActions"))).as(alarm)
                    .containsExactly(Map.of("Ref", "AlarmTopic"));
        }
        assertThat(template.resource("AlarmEmailSubscription").get("Condition")).isEqualTo("HasAlarmEmail");
    }

    @Test
    void theReportBucketIsPrivateEncryptedTlsOnlyAndForgetsOldReports() {
        Map<String, Object> bucket = template.properties("AuditReportBucket");
        assertThat(Template.map(bucket.get("PublicAccessBlockConfiguration"))).containsOnly(
                Map.entry("BlockPublicAcls", true), Map.entry("BlockPublicPolicy", true),
                Map.entry("IgnorePublicAcls", true), Map.entry("RestrictPublicBuckets", true));
        assertThat(String.valueOf(bucket.get("BucketEncryption"))).contains("SSEAlgorithm");
        Map<String, Object> rule = Template.map(Template.list(Template.map(bucket.get("LifecycleConfiguration"))
                .get("Rules")).get(0));
        assertThat(rule.get("Status")).isEqualTo("Enabled");
        assertThat(Intrinsics.isRef(rule.get("ExpirationInDays"), "AuditReportRetentionDays")).isTrue();

        Map<String, Object> policy = template.properties("AuditReportBucketPolicy");
        assertThat(Intrinsics.isRef(policy.get("Bucket"), "AuditReportBucket")).isTrue();
        assertThat(String.valueOf(policy.get("PolicyDocument"))).contains("Deny").contains("aws:SecureTransport");
    }

    @Test
    void outputsGiveTheWebhookUrlsTheBucketAndTheQueues() {
        Map<String, String> urls = Map.of("LeadsWebhookUrl", "/webhooks/leads", "IdentifyWebhookUrl",
                "/webhooks/identify", "IntercomWebhookUrl", "/webhooks/intercom");
        urls.forEach((output, path) -> assertThat(String.valueOf(Template.map(template.outputs().get(output))
                .get("Value"))).as(output).contains("https://${WebhookApi}.execute-api.").endsWith(path + "}"));
        assertThat(Intrinsics.isRef(value("AuditReportBucketName"), "AuditReportBucket")).isTrue();
        for (String queue : template.resourcesOfType("AWS::SQS::Queue")) {
            assertThat(template.outputs().values()).as("an output with the URL of %s", queue)
                    .anyMatch(o -> Intrinsics.isRef(Template.map(o).get("Value"), queue));
        }
    }

    @Test
    void stageFilesNameOnlyTemplateParametersWithAllowedValuesAndAgree() throws IOException {
        Map<String, Map<String, String>> stages = stageValues();
        assertThat(stages).containsKeys("samconfig default", "samconfig prod", "infra/parameters/dev.json",
                "infra/parameters/prod.json");
        stages.forEach((stage, values) -> values.forEach((key, value) -> {
            Map<String, Object> parameter = Template.map(template.parameters().get(key));
            assertThat(parameter).as("%s names %s, which the template does not declare", stage, key).isNotEmpty();
            List<Object> allowed = Template.list(parameter.get("AllowedValues"));
            if (!allowed.isEmpty()) {
                assertThat(allowed.stream().map(String::valueOf)).as("%s: %s", stage, key).contains(value);
            }
            if (parameter.get("AllowedPattern") != null) {
                assertThat(value).as("%s: %s", stage, key).matches(Pattern.compile((String) parameter.get("AllowedPattern")));
            }
            if (parameter.get("MinValue") != null) {
                assertThat(Long.parseLong(value)).as("%s: %s", stage, key)
                        .isGreaterThanOrEqualTo(Long.parseLong(String.valueOf(parameter.get("MinValue"))));
            }
        }));
        SamConfig config = SamConfig.parse(Files.readString(SAMCONFIG));
        for (String environment : config.deployEnvironments()) {
            Map<String, Object> deploy = config.parameters(environment, "deploy");
            assertThat(deploy.get("capabilities")).isEqualTo("CAPABILITY_IAM");
            assertThat(deploy.get("confirm_changeset")).isEqualTo(true);
        }
    }

    @Test
    void samconfigCopiesEachStageFileExactly() throws IOException {
        Map<String, Map<String, String>> stages = stageValues();
        SamConfig config = SamConfig.parse(Files.readString(SAMCONFIG));
        ObjectMapper json = new ObjectMapper();

        assertThat(config.deployEnvironments()).containsExactlyInAnyOrder("default", "prod");
        for (String environment : config.deployEnvironments()) {
            String stage = environment.equals("default") ? "dev" : environment;
            Map<String, String> file = stages.get("infra/parameters/" + stage + ".json");
            Map<String, String> sam = new LinkedHashMap<>(stages.get("samconfig " + environment));
            // sam deploy --guided stores the account's secret ARNs here; the stage files never hold them
            sam.keySet().removeIf(key -> key.endsWith("SecretArn") && !file.containsKey(key));
            assertThat(sam).as("samconfig.toml [%s] parameter_overrides against infra/parameters/%s.json",
                    environment, stage).isEqualTo(file);

            Map<String, String> tags = new LinkedHashMap<>();
            json.readTree(PARAMETERS.resolve(stage + ".json").toFile()).path("Tags").fields()
                    .forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
            assertThat(SamConfig.keyValues(String.valueOf(config.parameters(environment, "deploy").get("tags"))))
                    .as("samconfig.toml [%s] tags", environment).isEqualTo(tags);
            assertThat(config.parameters(environment, "global").get("stack_name"))
                    .isEqualTo("intercom-contact-functions-" + stage);
        }
    }

    @Test
    void aPlainSamDeployDeploysTheJvmVariantThatAPlainPackageBuilds() throws IOException {
        SamConfig config = SamConfig.parse(Files.readString(SAMCONFIG));

        for (String environment : config.deployEnvironments()) {
            assertThat(config.parameterOverrides(environment).getOrDefault("RuntimeVariant", "jvm"))
                    .as("samconfig.toml [%s]: native is opt-in (infra/scripts/deploy.sh --native)", environment)
                    .isEqualTo("jvm");
        }
        assertThat(decide(template.globalFunction(), false).get("Handler"))
                .isEqualTo(JVM_HANDLER + "::handleRequest");
    }

    @Test
    void everyParameterAndOutputIsDocumentedInTheDeployPage() throws IOException {
        String page = Files.readString(DEPLOY_PAGE);

        assertThat(template.parameters().keySet()).allSatisfy(parameter ->
                assertThat(page).as("docs/deploy.md parameters table").contains("| `" + parameter + "` |"));
        assertThat(template.outputs().keySet()).filteredOn(output -> !output.endsWith("FunctionName"))
                .allSatisfy(output -> assertThat(page).as("docs/deploy.md outputs").contains("`" + output + "`"));
    }

    @Test
    void everyAlarmIsInTheOperationsTableAndTheCostCountsThemAll() throws IOException {
        String operations = Files.readString(Path.of("docs", "operations.md"));
        List<String> alarms = template.resourcesOfType("AWS::CloudWatch::Alarm");

        assertThat(alarms).isNotEmpty().allSatisfy(alarm ->
                assertThat(operations).as("docs/operations.md alarms").contains("`" + alarm + "`"));
        assertThat(Files.readString(DEPLOY_PAGE)).as("docs/deploy.md, cost of the alarms")
                .contains(alarms.size() + " alarms");
    }

    // ---------------------------------------------------------------- helpers

    private static Map<String, Object> decide(Map<String, Object> value, boolean conditions) {
        Map<String, Boolean> all = new LinkedHashMap<>();
        template.conditions().keySet().forEach(c -> all.put(c, conditions));
        return Template.map(Intrinsics.decide(value, all));
    }

    /** The function's policy statements with every condition true (all secrets given) or false. */
    private static List<Map<String, Object>> statements(String function, boolean conditions) {
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Object policy : Template.list(template.properties(function).get("Policies"))) {
            assertThat(policy).as("%s: inline policy statements only (no managed policy, no wildcard template)",
                    function).isInstanceOf(Map.class);
            Map<String, Object> decided = decide(Template.map(policy), conditions);
            assertThat(decided).as("%s: inline policy statements only", function).containsOnlyKeys("Statement");
            Template.list(decided.get("Statement")).forEach(s -> statements.add(Template.map(s)));
        }
        return statements;
    }

    private static Set<String> secretParameters(List<Map<String, Object>> statements) {
        return statements.stream().filter(s -> "secretsmanager:GetSecretValue".equals(s.get("Action")))
                .flatMap(s -> Intrinsics.references(s.get("Resource")).stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Object value(String output) {
        return Template.map(template.outputs().get(output)).get("Value");
    }

    static List<Path> parameterFiles() throws IOException {
        try (Stream<Path> files = Files.list(PARAMETERS)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    /** Parameter values per stage file: samconfig environments and infra/parameters/*.json. */
    private static Map<String, Map<String, String>> stageValues() throws IOException {
        Map<String, Map<String, String>> stages = new LinkedHashMap<>();
        SamConfig config = SamConfig.parse(Files.readString(SAMCONFIG));
        for (String environment : config.deployEnvironments()) {
            stages.put("samconfig " + environment, config.parameterOverrides(environment));
        }
        ObjectMapper json = new ObjectMapper();
        for (Path file : parameterFiles()) {
            Map<String, String> values = new LinkedHashMap<>();
            json.readTree(file.toFile()).path("Parameters").fields()
                    .forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
            stages.put("infra/parameters/" + file.getFileName(), values);
        }
        return stages;
    }
}
