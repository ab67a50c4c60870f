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
 * Each rule of {@link TemplateRules} fails on a small template that breaks it (and the handler and configuration
 * scans find what they should in fixture classes), so that {@link TemplateTest} passing means something.
 */
class TemplateRulesTest {

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

        assertThat(TemplateRules.handlers(t, Map.of("lead-capture", "x.Leads", "segment-audit", "x.Audit")))
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

        assertThat(TemplateRules.environment(t, reads)).containsExactlyInAnyOrder(
                "AuditFunction: AUDIT_REPORT_BUCKET is required (@ConfigMapping dev.contactfunctions.fixture.AuditConfig"
                        + ".reportBucket()) but set only under a condition",
                "OtherFunction: @ConfigMapping dev.contactfunctions.fixture.AuditConfig.reportBucket() reads"
                        + " audit.report-bucket with no default, but the template does not set AUDIT_REPORT_BUCKET",
                "Globals.Function sets AUDIT_MOED, which no code reads (no config property, application.properties"
                        + " expression or System.getenv has that environment name)");
    }

    @Test
    void referencesToMissingParametersResourcesAttributesAndConditionsAreReported() {
        Template t = Template.parse(HEAD + """
                Parameters:
                  Stage: { Type: String }
                Conditions:
                  IsProd: !Equals [!Ref Stage, prod]
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Environment:
                        Variables:
                          A: !Ref Stag
                          B: !GetAtt Queue.Arn
                          C: !Sub "${Bucket.Arn}/${Stage}/${Missing}/${!Literal}"
                          D: !If [IsProdd, x, y]
                          E: !GetAtt Bucket.Url
                          F: !GetAtt FnRole.Arn
                          G: !Sub "${AWS::Region}-${Fn}"
                  Bucket:
                    Type: AWS::S3::Bucket
                    Condition: IsStaging
                """);

        assertThat(TemplateRules.references(t)).containsExactlyInAnyOrder(
                "Fn: Ref Stag names no parameter or resource",
                "Fn: GetAtt Queue.Arn names no resource",
                "Fn: ${Missing} names no parameter or resource",
                "Fn: condition IsProdd is not defined",
                "Fn: Bucket (AWS::S3::Bucket) has no attribute Url; it has [Arn, DomainName, DualStackDomainName,"
                        + " RegionalDomainName, WebsiteURL]",
                "Bucket: condition IsStaging is not defined");
    }

    @Test
    void asynchronousPathsWithoutDeadLetterDestinationsOrAlarmsAreReported() {
        Template t = Template.parse(HEAD + """
                Resources:
                  AuditFunction:
                    Type: AWS::Serverless::Function
                    Properties:
                      Events:
                        Nightly:
                          Type: ScheduleV2
                          Properties: { ScheduleExpression: rate(1 day) }
                  WorkerFunction:
                    Type: AWS::Serverless::Function
                    Properties:
                      EventInvokeConfig:
                        DestinationConfig: { OnFailure: { Type: SQS, Destination: !GetAtt Failures.Arn } }
                      Events:
                        Work:
                          Type: SQS
                          Properties: { Queue: !GetAtt Work.Arn }
                        Tick:
                          Type: ScheduleV2
                          Properties:
                            ScheduleExpression: rate(1 hour)
                            RetryPolicy: { MaximumRetryAttempts: 2 }
                            DeadLetterConfig: { Type: SQS }
                  Work:
                    Type: AWS::SQS::Queue
                  Failures:
                    Type: AWS::SQS::Queue
                """);

        assertThat(TemplateRules.deadLetters(t)).containsExactlyInAnyOrder(
                "AuditFunction.Nightly (ScheduleV2) has no RetryPolicy with MaximumRetryAttempts",
                "AuditFunction.Nightly (ScheduleV2) has no DeadLetterConfig: failed invocations would be dropped",
                "AuditFunction is invoked asynchronously but has no EventInvokeConfig OnFailure destination (or"
                        + " DeadLetterQueue): a failed run would be lost",
                "Work feeds WorkerFunction but has no RedrivePolicy to a dead-letter queue",
                "WorkerFunction EventInvokeConfig sets no MaximumRetryAttempts",
                "dead-letter queue Failures has no alarm on ApproximateNumberOfMessagesVisible");
    }

    @Test
    void queueConsumersWithoutBatchFailuresConcurrencyCapReceiveLimitOrFifoDeferralAreReported() {
        Template t = Template.parse(HEAD + """
                Resources:
                  LeadsFunction:
                    Type: AWS::Serverless::Function
                    Properties:
                      Environment: { Variables: { DEFERRAL_QUEUE_URL: !Ref Deferred } }
                  OtherFunction:
                    Type: AWS::Serverless::Function
                    Properties:
                      Environment: { Variables: { DEFERRAL_QUEUE_URL: !Ref Fifo } }
                      Events:
                        Work:
                          Type: SQS
                          Properties:
                            Queue: !GetAtt Fifo.Arn
                            FunctionResponseTypes: [ReportBatchItemFailures]
                            ScalingConfig: { MaximumConcurrency: 2 }
                  Deferred:
                    Type: AWS::SQS::Queue
                    Properties:
                      RedrivePolicy: { deadLetterTargetArn: !GetAtt Dead.Arn }
                  Fifo:
                    Type: AWS::SQS::Queue
                    Properties:
                      FifoQueue: true
                      RedrivePolicy: { deadLetterTargetArn: !GetAtt Dead.Arn, maxReceiveCount: 5 }
                  Dead:
                    Type: AWS::SQS::Queue
                  DeferredMapping:
                    Type: AWS::Lambda::EventSourceMapping
                    Properties:
                      FunctionName: !Ref OtherFunction
                      EventSourceArn: !GetAtt Deferred.Arn
                """);

        assertThat(TemplateRules.queueConsumers(t)).containsExactlyInAnyOrder(
                "DeferredMapping does not set FunctionResponseTypes [ReportBatchItemFailures]: one failed message would"
                        + " bring the whole batch back",
                "DeferredMapping sets no ScalingConfig MaximumConcurrency: its calls to Intercom are unbounded",
                "Deferred sets no RedrivePolicy maxReceiveCount: a failing message would come back for ever",
                "Deferred is LeadsFunction's DEFERRAL_QUEUE_URL but not a FIFO queue",
                "LeadsFunction defers to Deferred but does not consume it");
        assertThat(TemplateRules.deadLetters(t)).containsExactly(
                "dead-letter queue Dead has no alarm on ApproximateNumberOfMessagesVisible");
    }

    @Test
    void routesToTheWrongHandlerMissingUnexpectedOrUnthrottledAreReported() {
        Template t = Template.parse(HEAD + """
                Resources:
                  Api:
                    Type: AWS::Serverless::HttpApi
                  LeadsFunction:
                    Type: AWS::Serverless::Function
                    Properties:
                      Environment: { Variables: { QUARKUS_LAMBDA_HANDLER: lead-capture } }
                      Events:
                        Leads:
                          Type: HttpApi
                          Properties: { ApiId: !Ref Api, Method: POST, Path: /webhooks/identify, PayloadFormatVersion: "2.0" }
                        Debug:
                          Type: HttpApi
                          Properties: { ApiId: !Ref Api, Method: GET, Path: /debug, PayloadFormatVersion: "1.0" }
                """);

        assertThat(TemplateRules.routes(t, Map.of("/webhooks/leads", "lead-capture", "/webhooks/identify",
                "identify-merge"))).containsExactlyInAnyOrder(
                        "LeadsFunction.Debug: webhooks are POST, not GET",
                        "LeadsFunction.Debug: PayloadFormatVersion must be \"2.0\" (the handlers read APIGatewayV2HTTPEvent)",
                        "no function serves POST /webhooks/leads (expected handler lead-capture)",
                        "POST /webhooks/identify is served by handler lead-capture, expected identify-merge",
                        "unexpected route /debug (handler lead-capture)",
                        "Api sets no DefaultRouteSettings ThrottlingRateLimit and ThrottlingBurstLimit");
    }

    @Test
    void secretsInPlainTextAreReported() {
        String yaml = HEAD + """
                Parameters:
                  IntercomToken: { Type: String, Default: abc }
                  SigningSecretArn: { Type: String, Default: "arn:aws:secretsmanager:x", AllowedPattern: ".*" }
                  ClientSecretArn: { Type: String }
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Environment:
                        Variables:
                          INTERCOM_ACCESS_TOKEN: "{{resolve:secretsmanager:intercom}}"
                          WEBHOOK_SIGNING_SECRET_ARN: arn:aws:secretsmanager:eu-west-1:123456789012:secret:s-AbCdEf
                          NOTE: dG9rOjU1NTU1NTU1XzU1NTU1NTU1LTU1NTVfNTU1NToxOjA=
                """;

        assertThat(TemplateRules.plaintextSecrets(Template.parse(yaml), yaml)).containsExactlyInAnyOrder(
                "parameter IntercomToken looks secret but is not NoEcho: true",
                "parameter IntercomToken looks secret but has a default",
                "parameter SigningSecretArn has a default (arn:aws:secretsmanager:x): give each stage its ARN",
                "parameter SigningSecretArn accepts a token as its value: AllowedPattern .*",
                "parameter ClientSecretArn has no AllowedPattern: a pasted token would be accepted",
                "Fn sets INTERCOM_ACCESS_TOKEN: secrets reach functions as Secrets Manager ARNs (*_ARN)",
                "Fn sets INTERCOM_ACCESS_TOKEN to {{resolve:secretsmanager:intercom}}: it must Ref an ARN parameter",
                "Fn sets WEBHOOK_SIGNING_SECRET_ARN to arn:aws:secretsmanager:eu-west-1:123456789012:secret:s-AbCdEf:"
                        + " it must Ref an ARN parameter",
                "the template uses a {{resolve:...}} secret reference: in an environment variable it puts the"
                        + " plaintext into the function's configuration",
                "the template contains what looks like a credential: dG9rOj...");
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
