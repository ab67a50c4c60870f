package dev.contactfunctions.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deploy and operations pages say what {@code template.yaml}, {@code samconfig.toml} and the scripts do: the
 * functions' versions and alias, the parameters a first deploy must give and what a plain {@code sam deploy} does
 * without them, and which prerequisites belong to which build. Each check reads the template, so a page that stays
 * as it is while the template changes fails here, and so does a page that contradicts an unchanged template.
 */
class DeployPagesTest {

    static final Path DEPLOY = Path.of("docs", "deploy.md");
    static final Path OPERATIONS = Path.of("docs", "operations.md");
    static final Path INFRA_README = Path.of("infra", "README.md");
    private static final Pattern NOT_VERSIONED = Pattern.compile(
            "(?i)\\bnot (versioned|aliased)\\b|\\bno (aliases?|versions?)\\b|\\bwithout (an )?alias(es)?\\b");
    private static final Pattern ALIAS_NAMED = Pattern.compile(
            "--(?:qualifier|name)\\s+([A-Za-z0-9_$-]+)|--function-name\\s+\\S+:([A-Za-z][A-Za-z0-9_-]*)\\b");

    private static Template template;

    @BeforeAll
    static void readTemplate() {
        template = Template.read(TemplateTest.TEMPLATE);
    }

    @Test
    void thePagesDescribeTheVersionsAndAliasTheTemplateDeploys() throws IOException {
        Object alias = template.globalFunction().get("AutoPublishAlias");
        assertThat(template.functions()).allSatisfy(function -> assertThat(template.functionProperty(function,
                "AutoPublishAlias")).as("%s's alias", function).isEqualTo(alias));

        for (Path page : List.of(DEPLOY, OPERATIONS, INFRA_README)) {
            String text = Files.readString(page);
            assertThat(NOT_VERSIONED.matcher(text).results().map(r -> r.group()).toList())
                    .as("%s says the functions are not versioned or aliased; the template publishes versions"
                            + " behind the alias %s", page, alias)
                    .isEmpty();
        }
        for (Path page : List.of(DEPLOY, INFRA_README)) {
            assertThat(Files.readString(page)).as(page.toString())
                    .contains("`AutoPublishAlias: " + alias + "`", "alias `" + alias + "`");
        }
        assertThat(Files.readString(INFRA_README)).as("the rollback moves the alias")
                .contains("aws lambda update-alias --function-name \"$fn\" --name " + alias + " ");
    }

    @Test
    void everyCommandThatNamesAnAliasNamesTheTemplatesAlias() throws IOException {
        Object alias = template.globalFunction().get("AutoPublishAlias");
        List<Path> files = new ArrayList<>(List.of(DEPLOY, OPERATIONS, INFRA_README));
        try (Stream<Path> scripts = Files.list(Path.of("infra", "scripts"))) {
            scripts.filter(f -> f.toString().endsWith(".sh")).sorted().forEach(files::add);
        }
        int named = 0;
        for (Path file : files) {
            for (String line : Files.readString(file).lines().filter(l -> l.matches(".*\\baws\\b.*\\blambda\\b.*")).toList()) {
                Matcher m = ALIAS_NAMED.matcher(line);
                while (m.find()) {
                    String name = m.group(1) != null ? m.group(1) : m.group(2);
                    assertThat(name).as("%s: %s", file, line.strip()).isEqualTo(alias);
                    named++;
                }
            }
        }
        assertThat(named).as("commands that name the alias (the redrive, the rollback)").isGreaterThanOrEqualTo(2);
    }

    @Test
    void theFirstDeployPageNamesTheRequiredParametersAndWhatAPlainSamDeployDoesWithoutThem() throws IOException {
        String page = Files.readString(DEPLOY);
        List<String> required = requiredParameters();
        assertThat(required).as("parameters without a default").isNotEmpty();

        for (String parameter : required) {
            assertThat(page).as("the parameters table marks %s", parameter)
                    .contains("| `" + parameter + "` | (required) |");
        }
        SamConfig config = SamConfig.parse(Files.readString(TemplateTest.SAMCONFIG));
        Map<String, List<String>> missing = new LinkedHashMap<>();
        for (String environment : config.deployEnvironments()) {
            List<String> unset = required.stream()
                    .filter(p -> !config.parameterOverrides(environment).containsKey(p)).toList();
            if (!unset.isEmpty()) {
                missing.put(environment, unset);
            }
        }
        if (missing.isEmpty()) {
            assertThat(page).as("samconfig.toml gives every required parameter: a plain sam deploy works")
                    .doesNotContain("must have values");
            return;
        }
        for (List<String> unset : missing.values()) {
            assertThat(page).as("what CloudFormation answers a plain sam deploy that lacks %s", unset)
                    .contains("`Parameters: [" + String.join(", ", unset) + "] must have values`");
        }
        assertThat(page).as("the two ways to give them on a first deploy")
                .contains("`sam deploy --guided` once", "`infra/scripts/deploy.sh --stage dev`");
        String samconfig = Files.readString(TemplateTest.SAMCONFIG);
        missing.values().stream().flatMap(List::stream).distinct().forEach(parameter -> assertThat(
                samconfig.lines().filter(l -> l.startsWith("#")).toList())
                .as("samconfig.toml's comment says the first deploy needs %s", parameter)
                .anyMatch(l -> l.contains(parameter)));
    }

    @Test
    void aContainerEngineIsAPrerequisiteOfTheNativeBuildOnly() throws IOException {
        String page = Files.readString(DEPLOY);
        String prerequisites = page.substring(page.indexOf("## Prerequisites"),
                page.indexOf("\n## ", page.indexOf("## Prerequisites") + 3));
        String heading = "";
        boolean nativePart = false;
        for (String line : prerequisites.lines().toList()) {
            if (line.startsWith("**")) {
                heading = line;
                nativePart |= line.contains("native");
            }
            if (line.matches("(?i).*\\b(docker|podman)\\b.*")) {
                assertThat(heading).as("'%s' is listed under", line.strip()).matches("(?i).*\\bnative\\b.*\\bonly\\b.*");
            }
        }
        assertThat(nativePart).as("the prerequisites have a part for the native variant").isTrue();
    }

    private static List<String> requiredParameters() {
        return template.parameters().entrySet().stream()
                .filter(e -> !Template.map(e.getValue()).containsKey("Default")).map(Map.Entry::getKey).toList();
    }
}
