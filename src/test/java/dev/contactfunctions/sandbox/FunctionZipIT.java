package dev.contactfunctions.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Test;

/**
 * The deployed artifact never carries the sandbox: no {@code dev/contactfunctions/sandbox} class in
 * {@code target/function.zip}, nor in any jar inside it. Runs in {@code verify}, after {@code package}.
 */
class FunctionZipIT {

    private static final String SANDBOX = "dev/contactfunctions/sandbox/";

    @Test
    void theFunctionZipHoldsNoSandboxClass() throws IOException {
        Path zip = Path.of(System.getProperty("function.zip", "target/function.zip"));
        assertThat(zip).as("build the package first: the pom passes function.zip to failsafe").isRegularFile();

        List<String> entries = new ArrayList<>();
        List<String> sandboxEntries = new ArrayList<>();
        try (InputStream in = Files.newInputStream(zip)) {
            scan(in, zip.getFileName().toString(), entries, sandboxEntries);
        }

        assertThat(entries).as("function.zip should hold the application's own classes")
                .anyMatch(e -> e.contains("dev/contactfunctions/intercom/IntercomClient.class"));
        assertThat(sandboxEntries).isEmpty();
    }

    /** Lists every entry of a zip, opening nested jars, and collects those under the sandbox package. */
    private static void scan(InputStream in, String where, List<String> entries, List<String> sandboxEntries)
            throws IOException {
        ZipInputStream zip = new ZipInputStream(in);
        for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
            String name = where + "!/" + entry.getName();
            entries.add(name);
            if (entry.getName().contains(SANDBOX)) {
                sandboxEntries.add(name);
            } else if (entry.getName().contains("META-INF/services/")) {
                // a service registration naming a sandbox class (its config source) must not ship either
                String services = new String(zip.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (services.contains(SANDBOX.replace('/', '.'))) {
                    sandboxEntries.add(name + " (registers " + services.trim() + ")");
                }
            } else if (entry.getName().endsWith(".jar")) {
                scan(new NonClosing(zip), name, entries, sandboxEntries);
            }
        }
    }

    /** Lets a nested ZipInputStream read an entry without closing the outer stream. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the outer zip stays open for its next entry
        }
    }
}
