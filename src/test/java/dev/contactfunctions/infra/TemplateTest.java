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
        Map<String, String> samDev = stages.get("samconfig default");
        Map<String, String> samProd = stages.get("samconfig prod");
        samDev.forEach((k, v) -> assertThat(stages.get("infra/parameters/dev.json")).containsEntry(k, v));
        samProd.forEach((k, v) -> assertThat(stages.get("infra/parameters/prod.json")).containsEntry(k, v));

        SamConfig config = SamConfig.parse(Files.readString(SAMCONFIG));
        for (String environment : config.deployEnvironments()) {
            Map<String, Object> deploy = config.parameters(environment, "deploy");
            assertThat(deploy.get("capabilities")).isEqualTo("CAPABILITY_IAM");
            assertThat(deploy.get("confirm_changeset")).isEqualTo(true);
        }
    }

    @Test
    void everyParameterAndOutputIsDocumentedInTheReadme() throws IOException {
        String readme = Files.readString(Path.of("README.md"));

        assertThat(template.parameters().keySet()).allSatisfy(parameter ->
                assertThat(readme).as("README parameters table").contains("| `" + parameter + "` |"));
        assertThat(template.outputs().keySet()).filteredOn(output -> !output.endsWith("FunctionName"))
                .allSatisfy(output -> assertThat(readme).as("README outputs").contains("`" + output + "`"));
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
}
