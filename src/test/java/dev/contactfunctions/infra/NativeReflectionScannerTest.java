package dev.contactfunctions.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each rule of {@link NativeReflectionTest}, tried on fixture classes compiled for the test (never on the classpath). */
class NativeReflectionScannerTest {

    private static final String PKG = "package dev.contactfunctions.fixture;\n"
            + "import com.fasterxml.jackson.annotation.*;\n"
            + "import com.fasterxml.jackson.databind.ObjectMapper;\n"
            + "import io.quarkus.runtime.annotations.RegisterForReflection;\n"
            + "import java.util.*;\n";

    @TempDir
    Path work;

    @Test
    void aJacksonAnnotatedRecordWithoutRegistrationIsReportedByName() {
        List<NativeReflectionScanner.Finding> findings = scan(Map.of(
                "LeadForm", "public record LeadForm(@JsonProperty(\"utm_source\") String utmSource) {}"));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo("dev.contactfunctions.fixture.LeadForm");
            assertThat(f.reason()).contains("@JsonProperty");
        });
    }

    @Test
    void aRegisteredRecordPasses() {
        assertThat(scan(Map.of("LeadForm", "@RegisterForReflection\n"
                + "public record LeadForm(@JsonProperty(\"utm_source\") String utmSource) {}"))).isEmpty();
    }

    @Test
    void typesListedInARegistrationClassPassByClassOrByName() {
        assertThat(scan(Map.of(
                "First", "@JsonInclude(JsonInclude.Include.NON_NULL) public record First(String a) {}",
                "Second", "@JsonIgnoreProperties(ignoreUnknown = true) public record Second(String b) {}",
                "NativeReflection", "@RegisterForReflection(targets = First.class, classNames = "
                        + "\"dev.contactfunctions.fixture.Second\") final class NativeReflection {}")))
                .isEmpty();
    }

    @Test
    void aNestedTypeFollowsItsOuterRegistrationUnlessNestedTypesAreIgnored() {
        String nested = "public record Inner(@JsonProperty(\"x\") String x) {} }";

        assertThat(scan(Map.of("Outer", "@RegisterForReflection public final class Outer {" + nested))).isEmpty();
        assertThat(scan(Map.of("Outer", "@RegisterForReflection(ignoreNested = true) public final class Outer {"
                + nested))).extracting(NativeReflectionScanner.Finding::type)
                .containsExactly("dev.contactfunctions.fixture.Outer$Inner");
    }

    @Test
    void aClassLiteralReadByJacksonIsRequiredDirectlyOrThroughAHelper() {
        List<NativeReflectionScanner.Finding> findings = scan(Map.of(
                "Signup", "public record Signup(String email) {}",
                "Invite", "public record Invite(String code) {}",
                "Json", "final class Json { static final ObjectMapper M = new ObjectMapper();\n"
                        + "  static <T> T parse(String s, Class<T> type) throws Exception { return M.readValue(s, type); } }",
                "Reader", "final class Reader {\n"
                        + "  Signup signup(String s) throws Exception { return Json.M.readValue(s, Signup.class); }\n"
                        + "  Invite invite(String s) throws Exception { return Json.parse(s, Invite.class); } }"));

        assertThat(findings).extracting(NativeReflectionScanner.Finding::type).containsExactlyInAnyOrder(
                "dev.contactfunctions.fixture.Signup", "dev.contactfunctions.fixture.Invite");
        assertThat(findings).allSatisfy(f -> assertThat(f.reason()).contains("is read by Jackson in "
                + "dev.contactfunctions.fixture.Reader"));
    }

    @Test
    void aValueWrittenByJacksonIsRequiredDirectlyOrThroughAForwardingHelperButAMapIsNot() {
        List<NativeReflectionScanner.Finding> findings = scan(Map.of(
                "Outcome", "public record Outcome(String contactId) {}",
                "Summary", "public record Summary(int created) {}",
                "Answers", "final class Answers { static final ObjectMapper M = new ObjectMapper();\n"
                        + "  static String json(Object body) throws Exception { return M.writeValueAsString(body); }\n"
                        + "  static String json(int status, Object body) throws Exception { return json(body); } }",
                "Handler", "final class Handler {\n"
                        + "  String answer() throws Exception { return Answers.json(200, new Outcome(\"1\")); }\n"
                        + "  String error() throws Exception { return Answers.json(400, Map.of(\"code\", \"bad\")); }\n"
                        + "  byte[] report(Summary s) throws Exception { return Answers.M.writeValueAsBytes(s); } }"));

        assertThat(findings).extracting(NativeReflectionScanner.Finding::type).containsExactlyInAnyOrder(
                "dev.contactfunctions.fixture.Outcome", "dev.contactfunctions.fixture.Summary");
    }

    @Test
    void fieldTypesAndImplementationsOfARequiredTypeAreRequiredButPlainEnumsAreNot() {
        List<NativeReflectionScanner.Finding> findings = scan(Map.of(
                "Report", "@RegisterForReflection @JsonInclude(JsonInclude.Include.NON_NULL)\n"
                        + "public record Report(List<Problem> problems, Shape shape, Severity severity) {}",
                "Problem", "public record Problem(String code) {}",
                "Shape", "public sealed interface Shape permits Circle, Square {}",
                "Circle", "public record Circle(int r) implements Shape {}",
                "Square", "public record Square(int side) implements Shape {}",
                "Severity", "public enum Severity { LOW, HIGH }"));

        assertThat(findings).extracting(NativeReflectionScanner.Finding::type).containsExactlyInAnyOrder(
                "dev.contactfunctions.fixture.Problem", "dev.contactfunctions.fixture.Circle",
                "dev.contactfunctions.fixture.Square");
        assertThat(findings).filteredOn(f -> f.type().endsWith("Problem")).singleElement()
                .satisfies(f -> assertThat(f.reason()).contains("Report.problems"));
    }

    @Test
    void restClientAndHandlerTypesAreLeftToQuarkusButImplementationsOfTheirInterfaceFieldsAreNot() {
        List<NativeReflectionScanner.Finding> findings = scan(Map.of(
                "Api", "@org.eclipse.microprofile.rest.client.inject.RegisterRestClient(configKey = \"x\")\n"
                        + "interface Api { @jakarta.ws.rs.POST Reply send(Query query); }",
                "Query", "@JsonInclude(JsonInclude.Include.NON_NULL) public record Query(Filter filter) {}",
                "Filter", "public interface Filter {}",
                "Equals", "public record Equals(String field, Object value) implements Filter {}",
                "Reply", "@JsonIgnoreProperties(ignoreUnknown = true) public record Reply(String id) {}",
                "Input", "@JsonIgnoreProperties(ignoreUnknown = true) public record Input(String name) {}",
                "Handler", "@jakarta.inject.Named(\"fixture\") public class Handler implements "
                        + "com.amazonaws.services.lambda.runtime.RequestHandler<Input, Reply> {\n"
                        + "  public Reply handleRequest(Input in, com.amazonaws.services.lambda.runtime.Context c) {"
                        + " return null; } }"));

        assertThat(findings).extracting(NativeReflectionScanner.Finding::type)
                .containsExactly("dev.contactfunctions.fixture.Equals");
    }

    @Test
    void typeArgumentsOfATypeReferenceAreRequired() {
        List<NativeReflectionScanner.Finding> findings = scan(Map.of(
                "Item", "public record Item(String sku) {}",
                "Reader", "final class Reader {\n"
                        + "  List<Item> read(String s) throws Exception { return new ObjectMapper().readValue(s,\n"
                        + "      new com.fasterxml.jackson.core.type.TypeReference<List<Item>>() {}); } }"));

        assertThat(findings).extracting(NativeReflectionScanner.Finding::type)
                .containsExactly("dev.contactfunctions.fixture.Item");
    }

    private List<NativeReflectionScanner.Finding> scan(Map<String, String> types) {
        Map<String, String> sources = new LinkedHashMap<>();
        types.forEach((name, body) -> sources.put("dev/contactfunctions/fixture/" + name + ".java", PKG + body));
        Path classes = FixtureCompiler.compile(work.resolve("run" + System.nanoTime()), sources);
        return NativeReflectionScanner.scan(CompiledClasses.of(classes), FixtureCompiler.loader(classes)).unregistered();
    }
}
