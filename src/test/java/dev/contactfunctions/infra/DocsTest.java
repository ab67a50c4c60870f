package dev.contactfunctions.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.contactfunctions.testsupport.OpenApiContract;

/**
 * The README and the pages under {@code docs/}: a short README that leads to the pages, links that resolve inside the
 * repository, nothing pointing outside it but Intercom's OpenAPI description, and no words about how the work was
 * organized.
 */
class DocsTest {

    private static final Path README = Path.of("README.md");
    private static final List<String> PAGES = List.of("local-run", "lead-capture", "identify-merge", "segment-audit",
            "reliability", "configuration", "deploy", "operations", "benchmarks");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");
    private static final String OPENAPI_DESCRIPTION = "../shared/intercom/api.intercom.io.yaml";

    @Test
    void theReadmeIsShortAndLeadsToEveryPage() throws IOException {
        String readme = Files.readString(README);

        assertThat(readme.lines().count()).as("README lines").isLessThanOrEqualTo(250);
        assertThat(readme).contains("```mermaid", "./mvnw quarkus:dev -Dlocal", "./mvnw verify");
        for (String page : PAGES) {
            assertThat(readme).contains("](docs/" + page + ".md)");
            assertThat(Path.of("docs", page + ".md")).isRegularFile();
            assertThat(Files.readString(Path.of("docs", page + ".md"))).startsWith("# ");
        }
        // CI runs the README's command, with the OpenAPI description required
        assertThat(Files.readString(Path.of(".ci", "run")))
                .contains("\n./mvnw -B verify -D" + OpenApiContract.REQUIRED_PROPERTY + "=true\n");
    }

    @Test
    void everyLinkResolvesInsideTheRepository() throws IOException {
        for (Path doc : docs()) {
            Matcher m = LINK.matcher(Files.readString(doc));
            while (m.find()) {
                String target = m.group(1);
                if (target.startsWith("http://") || target.startsWith("https://")) {
                    continue;
                }
                Path resolved = doc.toAbsolutePath().getParent().resolve(target).normalize();
                assertThat(resolved).as("%s links to %s", doc, target).exists()
                        .startsWith(Path.of("").toAbsolutePath());
            }
        }
    }

    @Test
    void nothingPointsOutsideTheRepositoryButTheOpenApiDescription() throws IOException {
        for (Path doc : docs()) {
            String text = Files.readString(doc).replace(OPENAPI_DESCRIPTION, "");
            assertThat(text).as(doc.toString()).doesNotContain("shared/", "contract.md", "design.md",
                    "real-conditions", "peers.md");
        }
    }

    @Test
    void noWordsAboutHowTheWorkWasOrganized() throws IOException {
        List<Path> files = new ArrayList<>(docs());
        files.add(Path.of("pom.xml"));
        files.add(Path.of("src", "main", "resources", "application.properties"));
        files.add(Path.of("src", "test", "resources", "application.properties"));
        files.add(Path.of(".ci", "run"));
        files.add(Path.of("src", "test", "sh", "provision-dynalite.sh"));
        Pattern leftOver = Pattern.compile("(?i)\\bissue\\s*#?\\d+|\\bsession\\b|(?<!build-)\\bhelper\\b");
        for (Path file : files) {
            assertThat(leftOver.matcher(Files.readString(file)).find()).as("%s: %s", file,
                    leftOver.matcher(Files.readString(file)).results().map(r -> r.group()).toList()).isFalse();
        }
    }

    @Test
    void theScriptsDefaultUrlIsTheLocalRunsConfiguredPort() throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(Path.of("src", "main", "resources", "application.properties"))) {
            properties.load(in);
        }
        String port = properties.getProperty("%local.quarkus.lambda.mock-event-server.dev-port");

        assertThat(port).isNotBlank();
        assertThat(Files.readString(Path.of("infra", "scripts", "send-event.sh")))
                .contains("url=${LOCAL_RUN_URL:-http://localhost:" + port + "}");
        assertThat(Files.readString(Path.of("docs", "local-run.md"))).contains("LOCAL_RUN_URL",
                "http://localhost:" + port, "http://localhost:" + properties.getProperty("%local.sandbox.port"));
    }

    private static List<Path> docs() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(README, Path.of("infra", "README.md")));
        try (Stream<Path> files = Files.list(Path.of("docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }
}
