package dev.contactfunctions.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Test;

/**
 * A plain {@code ./mvnw package} builds what a plain {@code sam deploy} deploys (once the first deploy has given the
 * required secret ARN, see {@link DeployPagesTest}): the variant that {@code template.yaml} and
 * {@code samconfig.toml}'s default environment deploy is the one in the {@code target/function.zip} this build
 * packaged, and the handler the template names is in it. Runs in {@code verify}, after {@code package}.
 */
class DefaultDeployIT {

    @Test
    void theDefaultDeployRunsTheZipThatAPlainPackageBuilds() throws IOException {
        Path zip = Path.of(System.getProperty("function.zip", "target/function.zip"));
        assertThat(zip).as("build the package first: the pom passes function.zip to failsafe").isRegularFile();
        Template template = Template.read(TemplateTest.TEMPLATE);
        String variant = SamConfig.parse(Files.readString(TemplateTest.SAMCONFIG)).parameterOverrides("default")
                .getOrDefault("RuntimeVariant",
                        String.valueOf(Template.map(template.parameters().get("RuntimeVariant")).get("Default")));
        Map<String, Object> globals = Template.map(Intrinsics.decide(template.globalFunction(),
                Map.of("IsNative", variant.equals("native"))));

        Set<String> entries = new HashSet<>();
        try (InputStream in = Files.newInputStream(zip)) {
            list(in, entries);
        }

        assertThat(variant).as("the variant a plain sam deploy deploys").isEqualTo("jvm");
        assertThat(globals.get("Runtime")).isEqualTo("java21");
        assertThat(entries).as("a plain package is a JVM build: no native bootstrap").doesNotContain("bootstrap");
        String handlerClass = String.valueOf(globals.get("Handler")).replaceFirst("::.*", "").replace('.', '/') + ".class";
        assertThat(entries).as("the handler the template names, %s", globals.get("Handler")).contains(handlerClass);
    }

    /** Every entry name of a zip and of the jars inside it. */
    private static void list(InputStream in, Set<String> entries) throws IOException {
        ZipInputStream zip = new ZipInputStream(in);
        for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
            entries.add(entry.getName());
            if (entry.getName().endsWith(".jar")) {
                list(new FilterInputStream(zip) {
                    @Override
                    public void close() {
                        // the outer zip stays open for its next entry
                    }
                }, entries);
            }
        }
    }
}
