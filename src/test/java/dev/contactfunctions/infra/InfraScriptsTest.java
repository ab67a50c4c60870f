package dev.contactfunctions.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The scripts in {@code infra/scripts}: bash, strict mode, executable; the operations scripts also answer
 * {@code --help} without touching AWS and take {@code --region}/{@code --profile}.
 */
class InfraScriptsTest {

    private static final Path SCRIPTS = Path.of("infra", "scripts");
    private static final List<String> OPERATIONS = List.of("deploy.sh", "create-secrets.sh", "tail-logs.sh",
            "redrive-dlq.sh");

    @Test
    void everyScriptIsAnExecutableBashScriptInStrictMode() throws IOException {
        List<Path> scripts = scripts();
        assertThat(scripts).extracting(p -> p.getFileName().toString()).containsAll(OPERATIONS);

        for (Path script : scripts) {
            String text = Files.readString(script);
            assertThat(text).as(script.toString()).startsWith("#!/usr/bin/env bash\n").contains("\nset -euo pipefail\n");
            assertThat(Files.isExecutable(script)).as("%s is executable", script).isTrue();
        }
    }

    @Test
    void operationsScriptsExplainThemselvesWithHelp() throws Exception {
        for (String name : OPERATIONS) {
            Path script = SCRIPTS.resolve(name);
            Process process = new ProcessBuilder("bash", script.toString(), "--help").redirectErrorStream(true).start();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("%s --help finishes", name).isTrue();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(process.exitValue()).as("%s --help exit status; output:%n%s", name, output).isZero();
            assertThat(output).as(name).startsWith("Usage: infra/scripts/" + name).contains("--stage", "--region",
                    "--profile", "-h, --help");
        }
    }

    @Test
    void operationsScriptsRefuseUnknownOptionsAndAMissingStage() throws Exception {
        for (String name : OPERATIONS) {
            for (List<String> arguments : List.of(List.of("--bogus"), List.<String>of())) {
                List<String> command = new java.util.ArrayList<>(List.of("bash", SCRIPTS.resolve(name).toString()));
                command.addAll(arguments);
                Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
                assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

                assertThat(process.exitValue()).as("%s %s; output:%n%s", name, arguments, output).isEqualTo(2);
                assertThat(output).contains("Usage: infra/scripts/" + name);
            }
        }
    }

    private static List<Path> scripts() throws IOException {
        try (Stream<Path> files = Files.list(SCRIPTS)) {
            return files.filter(f -> f.toString().endsWith(".sh")).sorted().toList();
        }
    }
}
