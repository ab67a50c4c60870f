package dev.contactfunctions.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.contactfunctions.invocation.Secrets;
import io.quarkus.runtime.configuration.DurationConverter;

/**
 * The secret rotation procedure of {@code docs/operations.md} against the template and the code. Every route, the
 * schedule and the queues invoke a function's alias, whose versions the JVM variant restores from SnapStart snapshots:
 * a procedure that changes the function ({@code update-function-configuration}, a new {@code $LATEST}) reaches no
 * instance. The procedure therefore only stores values, and its waits are the code's time-to-live of secrets.
 */
class RotationProcedureTest {

    static final Path OPERATIONS = Path.of("docs", "operations.md");
    static final Path CONFIGURATION = Path.of("docs", "configuration.md");
    static final String HEADING = "### Rotating secrets";
    /** AWS CLI commands that change a function, its versions or its alias: none of them rotates a secret. */
    static final Pattern CHANGES_A_FUNCTION = Pattern.compile(
            "update-function-configuration|update-function-code|publish-version|update-alias|\\$LATEST`? (is|gets)");

    private static Template template;

    @BeforeAll
    static void readTemplate() {
        template = Template.read(TemplateTest.TEMPLATE);
    }

    @Test
    void theProcedureStoresValuesOnlySinceEveryFunctionIsInvokedThroughItsAlias() throws IOException {
        String section = rotationSection(Files.readString(OPERATIONS));
        Object alias = template.globalFunction().get("AutoPublishAlias");

        assertThat(alias).as("template.yaml Globals.Function.AutoPublishAlias").isInstanceOf(String.class);
        for (String function : template.functions()) {
            assertThat(template.functionProperty(function, "AutoPublishAlias")).as(function).isEqualTo(alias);
        }
        assertThat(section).as("the rotation procedure names the alias").contains("`" + alias + "`");
        Matcher change = CHANGES_A_FUNCTION.matcher(section);
        assertThat(change.find() ? change.group() : null)
                .as("docs/operations.md rotates secrets with a change to the function, which the alias never runs")
                .isNull();
    }

    @Test
    void theProcedureSaysNothingIsReadBeforeTheSnapshotWhenTheTemplateHasSnapStart() throws IOException {
        String section = rotationSection(Files.readString(OPERATIONS));
        String snapStart = String.valueOf(template.globalFunction().get("SnapStart"));

        assertThat(snapStart).as("template.yaml Globals.Function.SnapStart").contains("PublishedVersions");
        assertThat(section).contains("SnapStart snapshot", "nothing is read before");
    }

    @Test
    void theWaitsAreTheCodesTimeToLiveAndTheTemplateKeepsThem() throws Exception {
        String section = rotationSection(Files.readString(OPERATIONS));
        String configuration = Files.readString(CONFIGURATION);
        String ttl = configDefault("secrets.ttl");
        String maxStale = configDefault("secrets.max-stale");

        assertThat(DurationConverter.parseDuration(ttl)).isEqualTo(Secrets.DEFAULT_TTL);
        assertThat(DurationConverter.parseDuration(maxStale)).isEqualTo(Secrets.DEFAULT_MAX_STALE);
        assertThat(section).contains("`SECRETS_TTL` (default " + words(Secrets.DEFAULT_TTL),
                "`SECRETS_MAX_STALE` (default " + words(Secrets.DEFAULT_MAX_STALE), "Wait `SECRETS_TTL` ("
                        + words(Secrets.DEFAULT_TTL) + ")");
        assertThat(configuration).contains("| `secrets.ttl` | `SECRETS_TTL` | `" + ttl + "` |",
                "| `secrets.max-stale` | `SECRETS_MAX_STALE` | `" + maxStale + "` |");
        for (String function : template.functions()) {
            Map<String, Object> environment = template.environment(function);
            assertThat(environment.getOrDefault("SECRETS_TTL", ttl)).as(function).isEqualTo(ttl);
            assertThat(environment.getOrDefault("SECRETS_MAX_STALE", maxStale)).as(function).isEqualTo(maxStale);
        }
    }

    @Test
    void theSigningSecretOverlapsThenTheNewKeyIsStoredAlone() throws IOException {
        String section = rotationSection(Files.readString(OPERATIONS));

        assertThat(section).containsSubsequence("`<new>,<old>`", "Wait `SECRETS_TTL`", "Move every sender",
                "Store the new key alone");
    }

    @Test
    void theSectionIsFoundAndEndsAtTheNextHeading() {
        String page = "# Ops\n\n## Changing things\n\n" + HEADING + "\n\nstore it\n\n## Other\n\nupdate-alias\n";

        assertThat(rotationSection(page)).isEqualTo("\nstore it\n\n");
        assertThat(rotationSection("x\n" + HEADING + "\n```bash\n# a comment\n```\nafter\n### Next\n"))
                .isEqualTo("```bash\n# a comment\n```\nafter\n");
        assertThat(CHANGES_A_FUNCTION.matcher("aws lambda update-function-configuration --function-name x").find())
                .isTrue();
    }

    /** The text under the rotation heading, up to the next heading of any level (outside code blocks). */
    static String rotationSection(String page) {
        int start = page.indexOf("\n" + HEADING + "\n");
        assertThat(start).as("docs/operations.md has a section '%s'", HEADING).isNotNegative();
        StringBuilder section = new StringBuilder();
        boolean inCode = false;
        for (String line : page.substring(start + HEADING.length() + 2).split("\n", -1)) {
            if (line.startsWith("```")) {
                inCode = !inCode;
            } else if (!inCode && line.startsWith("#")) {
                break;
            }
            section.append(line).append('\n');
        }
        return section.toString();
    }

    /** The default of a property the Secrets constructor reads. */
    private static String configDefault(String property) {
        Constructor<?> injected = Arrays.stream(Secrets.class.getConstructors())
                .filter(c -> c.isAnnotationPresent(Inject.class)).findFirst().orElseThrow();
        for (Parameter parameter : injected.getParameters()) {
            ConfigProperty config = parameter.getAnnotation(ConfigProperty.class);
            if (config != null && config.name().equals(property)) {
                return config.defaultValue();
            }
        }
        throw new AssertionError("Secrets reads no " + property);
    }

    /** 5 minutes, 1 hour: as the pages write durations. */
    private static String words(Duration duration) {
        if (duration.toMinutes() % 60 == 0) {
            long hours = duration.toHours();
            return hours + (hours == 1 ? " hour" : " hours");
        }
        long minutes = duration.toMinutes();
        return minutes + (minutes == 1 ? " minute" : " minutes");
    }
}
