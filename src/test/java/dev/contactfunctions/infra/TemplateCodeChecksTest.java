package dev.contactfunctions.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each check of {@link TemplateCodeChecks} fails on a small template that breaks it (and the handler and
 * configuration scans find what they should in fixture classes), so that {@link TemplateTest} passing means something.
 */
class TemplateCodeChecksTest {

    private static final String HEAD = "Transform: AWS::Serverless-2016-10-31\n";

    @TempDir
    Path work;

    @Test
    void shortTagsBecomeLongFormIntrinsicsAndDuplicateKeysAreRefused() {
        Template t = Template.parse(HEAD + """
                Resources:
                  Q:
                    Type: AWS::SQS::Queue
                Outputs:
                  A: { Value: !GetAtt Q.Arn }
                  B: { Value: !Sub "${Q.QueueName}-${AWS::Region}" }
                  C: { Value: !If [Cond, !Ref Q, !Ref AWS::NoValue] }
                  D: { Value: !Join ["", [!Select [0, !Split [",", "a,b"]]]] }
                """);

        assertThat(Template.map(t.outputs().get("A")).get("Value")).isEqualTo(Map.of("Fn::GetAtt", List.of("Q", "Arn")));
        assertThat(Template.map(t.outputs().get("B")).get("Value")).isEqualTo(Map.of("Fn::Sub", "${Q.QueueName}-${AWS::Region}"));
        assertThat(Intrinsics.references(Template.map(t.outputs().get("C")).get("Value")))
                .containsExactly("Q", "AWS::NoValue");
        assertThat(String.valueOf(Template.map(t.outputs().get("D")).get("Value"))).contains("Fn::Join", "Fn::Select",
                "Fn::Split");
        assertThatThrownBy(() -> Template.parse("A: 1\nA: 2\n")).hasMessageContaining("duplicate key");
    }

    @Test
    void aHandlerNameWithoutAClassAndAHandlerWithoutAFunctionAreReported() {
        Template t = Template.parse(HEAD + """
                Resources:
                  LeadsFunction:
                    Type: AWS::Serverless::Function
                    Properties:
                      Environment: { Variables: { QUARKUS_LAMBDA_HANDLER: lead-capture } }
                  OtherFunction:
                    Type: AWS::Serverless::Function
                    Properties:
                      Environment: { Variables: { QUARKUS_LAMBDA_HANDLER: lead-captur } }
                """);

        assertThat(TemplateCodeChecks.handlers(t, Map.of("lead-capture", "x.Leads", "segment-audit", "x.Audit")))
                .containsExactly(
                        "OtherFunction: QUARKUS_LAMBDA_HANDLER=lead-captur names no @Named RequestHandler or"
                                + " RequestStreamHandler in the compiled classes (found: [lead-capture, segment-audit])",
                        "handler segment-audit (x.Audit) is deployed by no function");
    }

    @Test
    void theHandlerScanFindsNamedHandlersOnlyIncludingThroughASuperclass() {
        Path classes = FixtureCompiler.compile(work, fixtures(Map.of(
                "Leads", "@jakarta.inject.Named(\"lead-capture\") public class Leads implements "
                        + "com.amazonaws.services.lambda.runtime.RequestHandler<Map<String, Object>, String> {\n"
                        + "  public String handleRequest(Map<String, Object> in, com.amazonaws.services.lambda.runtime"
                        + ".Context c) { return \"\"; } }",
                "StreamBase", "public abstract class StreamBase implements "
                        + "com.amazonaws.services.lambda.runtime.RequestStreamHandler {}",
                "Audit", "@jakarta.inject.Named(\"segment-audit\") public class Audit extends StreamBase {\n"
                        + "  public void handleRequest(java.io.InputStream i, java.io.OutputStream o,"
                        + " com.amazonaws.services.lambda.runtime.Context c) {} }",
                "Unnamed", "public class Unnamed extends StreamBase {\n"
                        + "  public void handleRequest(java.io.InputStream i, java.io.OutputStream o,"
                        + " com.amazonaws.services.lambda.runtime.Context c) {} }",
                "NotAHandler", "@jakarta.inject.Named(\"helper\") public class NotAHandler {}")));

        assertThat(CompiledClasses.of(classes).handlers()).containsExactly(
                Map.entry("lead-capture", "dev.contactfunctions.fixture.Leads"),
                Map.entry("segment-audit", "dev.contactfunctions.fixture.Audit"));
    }

    @Test
    void configReadsTellRequiredValuesFromDefaultedOnes() throws Exception {
        Path classes = FixtureCompiler.compile(work, fixtures(Map.of(
                "AuditConfig", "@io.smallrye.config.ConfigMapping(prefix = \"audit\") public interface AuditConfig {\n"
                        + "  String reportBucket();\n"
                        + "  @io.smallrye.config.WithDefault(\"report\") String mode();\n"
                        + "  Optional<String> reportPrefix();\n"
                        + "  Limits limits();\n"
                        + "  interface Limits { int maxPages(); @io.smallrye.config.WithDefault(\"150\") int perPage(); } }",
                "Settings", "public class Settings {\n"
                        + "  @org.eclipse.microprofile.config.inject.ConfigProperty(name = \"webhook.tolerance\") String tolerance;\n"
                        + "  @org.eclipse.microprofile.config.inject.ConfigProperty(name = \"webhook.max-bytes\","
                        + " defaultValue = \"65536\") int maxBytes;\n"
                        + "  @org.eclipse.microprofile.config.inject.ConfigProperty(name = \"webhook.extra\")"
                        + " Optional<String> extra;\n"
                        + "  String region() { return System.getenv(\"AWS_REGION\"); } }")));
        Path properties = Files.writeString(work.resolve("application.properties"), """
                audit.limits.max-pages=20
                ledger.table=${LEDGER_TABLE}
                ledger.ttl=${LEDGER_TTL:24h}
                quarkus.rest-client.x.url=${x.base-url:${x-endpoints.${x.region}}}
                %test.other=${NOT_IN_AWS}
                """);
        Path sources = Files.createDirectories(work.resolve("src-main"));
        Files.writeString(sources.resolve("Settings.java"), "class S { String r = System.getenv(\"AWS_REGION\"); }");

        ConfigReads reads = ConfigReads.of(CompiledClasses.of(classes), properties, sources);

        assertThat(reads.required()).extracting(ConfigReads.Read::envName).containsExactlyInAnyOrder(
                "AUDIT_REPORT_BUCKET", "WEBHOOK_TOLERANCE", "LEDGER_TABLE", "X_REGION", "AWS_REGION");
        assertThat(reads.envNames()).contains("AUDIT_MODE", "AUDIT_REPORT_PREFIX", "AUDIT_LIMITS_PER_PAGE",
                "WEBHOOK_MAX_BYTES", "WEBHOOK_EXTRA", "LEDGER_TTL", "X_BASE_URL", "QUARKUS_REST_CLIENT_X_URL")
                .doesNotContain("NOT_IN_AWS");
    }

    @Test
    void aRequiredValueTheTemplateDoesNotSetAndAVariableNoCodeReadsAreReported() throws Exception {
        Path classes = FixtureCompiler.compile(work, fixtures(Map.of(
                "AuditConfig", "@io.smallrye.config.ConfigMapping(prefix = \"audit\") public interface AuditConfig {\n"
                        + "  String reportBucket(); Optional<String> mode(); }")));
        Path properties = Files.writeString(work.resolve("application.properties"), "quarkus.lambda.handler=x\n");
        ConfigReads reads = ConfigReads.of(CompiledClasses.of(classes), properties, work.resolve("none"));
        Template t = Template.parse(HEAD + """
                Conditions:
                  HasBucket: !Equals [a, a]
                Globals:
                  Function:
                    Environment: { Variables: { DISABLE_SIGNAL_HANDLERS: "true", AUDIT_MOED: report } }
                Resources:
                  AuditFunction:
                    Type: AWS::Serverless::Function
                    Properties:
                      Environment:
                        Variables:
                          QUARKUS_LAMBDA_HANDLER: segment-audit
                          AUDIT_REPORT_BUCKET: !If [HasBucket, bucket, !Ref AWS::NoValue]
                  OtherFunction:
                    Type: AWS::Serverless::Function
                    Properties:
                      Environment: { Variables: { QUARKUS_LAMBDA_HANDLER: other } }
                """);

        assertThat(TemplateCodeChecks.environment(t, reads)).containsExactlyInAnyOrder(
                "AuditFunction: AUDIT_REPORT_BUCKET is required (@ConfigMapping dev.contactfunctions.fixture.AuditConfig"
                        + ".reportBucket()) but set only under a condition",
                "OtherFunction: @ConfigMapping dev.contactfunctions.fixture.AuditConfig.reportBucket() reads"
                        + " audit.report-bucket with no default, but the template does not set AUDIT_REPORT_BUCKET",
                "Globals.Function sets AUDIT_MOED, which no code reads (no config property, application.properties"
                        + " expression or System.getenv has that environment name)");
    }

    @Test
    void aParameterNamedLikeASettingButMeaningSomethingElseIsReported() throws Exception {
        Path classes = FixtureCompiler.compile(work, fixtures(Map.of(
                "AuditConfig", "@io.smallrye.config.ConfigMapping(prefix = \"audit\") public interface AuditConfig {\n"
                        + "  @io.smallrye.config.WithDefault(\"32\") int concurrency();\n"
                        + "  @io.smallrye.config.WithDefault(\"report\") String mode(); }")));
        Path properties = Files.writeString(work.resolve("application.properties"), "quarkus.lambda.handler=x\n");
        ConfigReads reads = ConfigReads.of(CompiledClasses.of(classes), properties, work.resolve("none"));
        Template t = Template.parse(HEAD + """
                Parameters:
                  AuditMode: { Type: String }
                  AuditConcurrency: { Type: Number }
                  AuditReservedConcurrency: { Type: Number }
                Resources:
                  AuditFunction:
                    Type: AWS::Serverless::Function
                    Properties:
                      ReservedConcurrentExecutions: !Ref AuditConcurrency
                      Environment: { Variables: { QUARKUS_LAMBDA_HANDLER: segment-audit, AUDIT_MODE: !Ref AuditMode } }
                """);

        assertThat(TemplateCodeChecks.parameterNames(t, reads)).containsExactly("parameter AuditConcurrency has the"
                + " name of the setting AUDIT_CONCURRENCY (audit.concurrency), but no function gets it in"
                + " AUDIT_CONCURRENCY: rename the parameter or pass it on");
    }

    @Test
    void samconfigParameterOverridesAreReadInBothForms() {
        SamConfig config = SamConfig.parse("""
                version = 0.1
                [default.deploy.parameters]
                # a comment
                parameter_overrides = "Stage=\\"dev\\" AuditSchedule=\\"cron(0 3 * * ? *)\\" Flag=true"
                confirm_changeset = true
                [prod.deploy.parameters]
                parameter_overrides = [
                  "Stage=\\"prod\\"",  # trailing comment
                  "Mode=fix",
                ]
                """);

        assertThat(config.deployEnvironments()).containsExactly("default", "prod");
        assertThat(config.parameterOverrides("default")).containsExactly(Map.entry("Stage", "dev"),
                Map.entry("AuditSchedule", "cron(0 3 * * ? *)"), Map.entry("Flag", "true"));
        assertThat(config.parameterOverrides("prod")).containsExactly(Map.entry("Stage", "prod"),
                Map.entry("Mode", "fix"));
        assertThat(config.parameters("default", "deploy")).containsEntry("confirm_changeset", true);
    }

    private static Map<String, String> fixtures(Map<String, String> types) {
        Map<String, String> sources = new LinkedHashMap<>();
        types.forEach((name, body) -> sources.put("dev/contactfunctions/fixture/" + name + ".java",
                "package dev.contactfunctions.fixture;\nimport java.util.*;\n" + body));
        return sources;
    }
}
