package dev.contactfunctions.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build's first step (src/test/sh/provision-dynalite.sh, run by pom.xml before anything else): a missing or too
 * old Node.js ends it with one line on stderr naming what to install; an installed dynalite is reused without npm.
 * Node.js and npm are played by small scripts on a PATH of their own.
 */
class ProvisionDynaliteTest {

    private static final Path SCRIPT = Path.of("src", "test", "sh", "provision-dynalite.sh").toAbsolutePath();

    @TempDir
    Path bin;
    @TempDir
    Path home;

    private record Run(int exitCode, String stdout, String stderr) {
    }

    @Test
    void withoutNodeTheBuildStopsWithOneLineSayingWhatToInstall() throws Exception {
        Run run = provision();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr().lines()).singleElement().asString()
                .contains("Node.js", "'node' is not on PATH", "install Node.js 20 or later", "-DskipTests");
        assertThat(home).isEmptyDirectory();
    }

    @Test
    void withoutNpmTheLineNamesNpm() throws Exception {
        fake("node", "echo 20");

        Run run = provision();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr().lines()).singleElement().asString().contains("'npm' is not on PATH");
    }

    @Test
    void aNodeOlderThanDynalitesMinimumIsNamedWithItsVersion() throws Exception {
        fake("node", "case \"$1\" in --version) echo v18.19.0 ;; *) echo 18 ;; esac");
        fake("npm", ": > \"" + bin.resolve("npm-ran") + "\"");

        Run run = provision();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr().lines()).singleElement().asString().contains("Node.js 20 or later", "v18.19.0");
        assertThat(bin.resolve("npm-ran")).doesNotExist();
    }

    @Test
    void anInstalledDynaliteOfTheWantedVersionIsReusedWithoutNpm() throws Exception {
        // node -p answers the major version first, then the installed dynalite's version
        fake("node", "case \"$2\" in *process.versions*) echo 20 ;; *) echo 4.0.0 ;; esac");
        fake("npm", ": > \"" + bin.resolve("npm-ran") + "\"");
        Path dynalite = home.resolve("node_modules").resolve(".bin").resolve("dynalite");
        Files.createDirectories(dynalite.getParent());
        executable(dynalite, "exit 0");

        Run run = provision();

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout() + run.stderr()).isEmpty();
        assertThat(bin.resolve("npm-ran")).doesNotExist();
    }

    private void fake(String tool, String body) throws IOException {
        executable(bin.resolve(tool), body);
    }

    private static void executable(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Run provision() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("/bin/bash", SCRIPT.toString(), "4.0.0");
        builder.environment().put("PATH", bin.toString());
        builder.environment().put("DYNALITE_HOME", home.toString());
        Process process = builder.start();
        process.getOutputStream().close();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
