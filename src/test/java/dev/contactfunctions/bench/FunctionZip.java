package dev.contactfunctions.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * {@code target/function.zip} unpacked once into the benchmark's work directory, as Lambda unpacks it into
 * {@code /var/task}: the JVM build's classes and {@code lib/}, or the native build's {@code bootstrap}.
 */
final class FunctionZip {

    private static Path unpacked;

    private FunctionZip() {
    }

    static synchronized Path unpacked() {
        if (unpacked == null) {
            Path zip = Path.of(System.getProperty("function.zip",
                    Path.of(System.getProperty("bench.target", "target"), "function.zip").toString()));
            if (!Files.isRegularFile(zip)) {
                throw new IllegalStateException(zip.toAbsolutePath() + " is missing: build it with ./mvnw package");
            }
            Path dir = BenchMode.workDir().toAbsolutePath().resolve("task");
            try {
                unpack(zip, dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot unpack " + zip, e);
            }
            unpacked = dir;
        }
        return unpacked;
    }

    private static void unpack(Path zip, Path dir) throws IOException {
        Files.createDirectories(dir);
        try (InputStream in = Files.newInputStream(zip); ZipInputStream entries = new ZipInputStream(in)) {
            for (ZipEntry entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
                Path target = dir.resolve(entry.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("entry outside the directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(entries, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Path bootstrap = dir.resolve("bootstrap");
        if (Files.isRegularFile(bootstrap)) {
            // zip keeps no POSIX mode here; Lambda runs bootstrap as an executable
            Files.setPosixFilePermissions(bootstrap, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
