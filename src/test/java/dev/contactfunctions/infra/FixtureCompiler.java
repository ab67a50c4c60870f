package dev.contactfunctions.infra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Compiles fixture sources into a temporary directory, so that the scanners can be tried on code that is not part
 * of the build (and that Quarkus never sees: a fixture handler in test-classes would join every @QuarkusTest).
 */
final class FixtureCompiler {

    /** API jars the fixtures may use: Jackson, Quarkus annotations, CDI names, Lambda, config, REST client. */
    private static final List<Class<?>> API = List.of(
            com.fasterxml.jackson.annotation.JsonProperty.class,
            com.fasterxml.jackson.databind.ObjectMapper.class,
            com.fasterxml.jackson.core.type.TypeReference.class,
            io.quarkus.runtime.annotations.RegisterForReflection.class,
            jakarta.inject.Named.class,
            com.amazonaws.services.lambda.runtime.RequestHandler.class,
            io.smallrye.config.ConfigMapping.class,
            org.eclipse.microprofile.config.inject.ConfigProperty.class,
            org.eclipse.microprofile.rest.client.inject.RegisterRestClient.class,
            jakarta.ws.rs.GET.class);

    private FixtureCompiler() {
    }

    /** Compiles {@code sources} (path -> Java source) and returns the directory holding the classes. */
    static Path compile(Path workDirectory, Map<String, String> sources) {
        try {
            Path sourceDir = Files.createDirectories(workDirectory.resolve("src"));
            Path classesDir = Files.createDirectories(workDirectory.resolve("classes"));
            List<String> arguments = new ArrayList<>(List.of("-d", classesDir.toString(), "-classpath", classpath(),
                    "--release", "17", "-parameters", "-g", "-proc:none"));
            for (Map.Entry<String, String> source : sources.entrySet()) {
                Path file = sourceDir.resolve(source.getKey());
                Files.createDirectories(file.getParent());
                Files.writeString(file, source.getValue());
                arguments.add(file.toString());
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            ByteArrayOutputStream errors = new ByteArrayOutputStream();
            int status = javac.run(null, null, errors, arguments.toArray(String[]::new));
            if (status != 0) {
                throw new IllegalStateException("fixtures do not compile:\n" + errors.toString(java.nio.charset.StandardCharsets.UTF_8));
            }
            return classesDir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A class loader seeing the compiled fixtures on top of the test class path. */
    static ClassLoader loader(Path classesDir) {
        try {
            return new URLClassLoader(new URL[] { classesDir.toUri().toURL() }, FixtureCompiler.class.getClassLoader());
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String classpath() {
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> api : API) {
            try {
                entries.add(Path.of(api.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }
}
