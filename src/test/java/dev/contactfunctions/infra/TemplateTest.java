package dev.contactfunctions.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Ties {@code template.yaml} (parsed with CloudFormation's short tags), {@code samconfig.toml} and
 * {@code infra/parameters} to the code and the documentation, which AWS's template tools cannot know about:
 * <ul>
 * <li>every function's {@code QUARKUS_LAMBDA_HANDLER} names a {@code @Named} handler found in
 * {@code target/classes}, and every handler is deployed;</li>
 * <li>every value the code reads without a default is set for every function, and every variable the template sets
 * is read by the code (rules in {@link ConfigReads} and {@link TemplateCodeChecks});</li>
 * <li>the ledger table's key and expiry attribute, the log groups' names, the report bucket, the outputs, and stage
 * files that agree with the template.</li>
 * </ul>
 * What the template deploys (routes, roles, schedule, queues, alarms, retention) is checked on SAM's own transform of
 * it, and the template itself by cfn-lint, in {@link AwsToolsTemplateTest}.
 */
class TemplateTest {

    static final Path TEMPLATE = Path.of("template.yaml");
    static final Path SAMCONFIG = Path.of("samconfig.toml");
    static final Path PARAMETERS = Path.of("infra", "parameters");
    static final Path DEPLOY_PAGE = Path.of("docs", "deploy.md");
    static final String JVM_HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler";

    private static Template template;

    @BeforeAll
    static void readTemplate() {
        template = Template.read(TEMPLATE);
    }

    // ---------------------------------------------------------------- template and code

    @Test
    void everyFunctionRunsANamedHandlerThatExistsInTheCompiledCode() {
        Map<String, String> handlers = CompiledClasses.main().handlers();

        assertThat(TemplateCodeChecks.handlers(template, handlers)).isEmpty();
    }

    @Test
    void everyValueTheCodeReadsIsSetOrHasADefaultAndEveryVariableSetIsRead() {
        assertThat(TemplateCodeChecks.environment(template, ConfigReads.main())).isEmpty();
    }

    @Test
    void noParameterSharesItsNameWithASettingItDoesNotSet() {
        assertThat(TemplateCodeChecks.parameterNames(template, ConfigReads.main())).isEmpty();
    }

    @Test
    void theLedgerTableHasTheKeyAndExpiryAttributeTheLedgerCodeWrites() {
        Map<String, Object> table = template.properties("LedgerTable");
        assertThat(table.get("BillingMode")).isEqualTo("PAY_PER_REQUEST");
        assertThat(Template.map(table.get("TimeToLiveSpecification")))
                .containsEntry("AttributeName", "expires_at").containsEntry("Enabled", true);
        assertThat(Template.map(table.get("PointInTimeRecoverySpecification")))
                .containsEntry("PointInTimeRecoveryEnabled", true);
        assertThat(String.valueOf(table.get("KeySchema"))).contains("AttributeName=pk", "KeyType=HASH");
        assertThat(Intrinsics.isRef(template.globalEnvironment().get("LEDGER_TABLE"), "LedgerTable")).isTrue();
    }

    @Test
    void jvmIsTheDefaultVariantBecauseAPlainPackageBuildsIt() {
        Map<String, Object> variant = Template.map(template.parameters().get("RuntimeVariant"));
        assertThat(variant.get("Default")).as("what a plain ./mvnw package builds").isEqualTo("jvm");
        assertThat(Template.list(variant.get("AllowedValues"))).containsExactlyInAnyOrder("native", "jvm");
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
        Map<String, String> urls = Map.of("LeadsWebhookUrl", "/webhooks/leads", "TypeformWebhookUrl",
                "/webhooks/leads/typeform", "TallyWebhookUrl", "/webhooks/leads/tally", "WebflowWebhookUrl",
                "/webhooks/leads/webflow", "IdentifyWebhookUrl", "/webhooks/identify", "IntercomWebhookUrl",
                "/webhooks/intercom");
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

    /** The value with every condition of the template decided {@code conditions}. */
    private static Map<String, Object> decide(Map<String, Object> value, boolean conditions) {
        Map<String, Boolean> all = new LinkedHashMap<>();
        template.conditions().keySet().forEach(c -> all.put(c, conditions));
        return Template.map(Intrinsics.decide(value, all));
    }
}
