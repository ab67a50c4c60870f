package dev.contactfunctions.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.Indexer;
import org.jboss.jandex.Type;

/**
 * A Jandex index of a directory of compiled classes (normally {@code target/classes}): no class is loaded or
 * initialized to read it.
 */
final class CompiledClasses {

    static final String ROOT_PACKAGE = "dev.contactfunctions.";
    static final DotName NAMED = DotName.createSimple("jakarta.inject.Named");
    static final DotName REQUEST_HANDLER = DotName.createSimple("com.amazonaws.services.lambda.runtime.RequestHandler");
    static final DotName REQUEST_STREAM_HANDLER =
            DotName.createSimple("com.amazonaws.services.lambda.runtime.RequestStreamHandler");

    private final Path directory;
    private final Index index;
    private final List<Path> classFiles;

    private CompiledClasses(Path directory, Index index, List<Path> classFiles) {
        this.directory = directory;
        this.index = index;
        this.classFiles = classFiles;
    }

    static CompiledClasses of(Path directory) {
        Indexer indexer = new Indexer();
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(directory)) {
            try (Stream<Path> walk = Files.walk(directory)) {
                for (Path file : walk.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                    try (InputStream in = Files.newInputStream(file)) {
                        indexer.index(in);
                    }
                    files.add(file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new CompiledClasses(directory, indexer.complete(), files);
    }

    /** The compiled main classes: the directory {@code dev.contactfunctions} main code was loaded from. */
    static CompiledClasses main() {
        return of(mainClassesDirectory());
    }

    static Path mainClassesDirectory() {
        try {
            Path location = Path.of(dev.contactfunctions.identifiers.Emails.class.getProtectionDomain().getCodeSource()
                    .getLocation().toURI());
            return Files.isDirectory(location) ? location : Path.of("target", "classes");
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("target", "classes");
        }
    }

    Path directory() {
        return directory;
    }

    IndexView index() {
        return index;
    }

    List<Path> classFiles() {
        return classFiles;
    }

    Optional<ClassInfo> find(DotName name) {
        return Optional.ofNullable(index.getClassByName(name));
    }

    /**
     * The Lambda handlers Quarkus can select with {@code quarkus.lambda.handler}: classes implementing
     * {@code RequestHandler} or {@code RequestStreamHandler} (directly or through a superclass) that carry
     * {@code @jakarta.inject.Named}, by their name.
     */
    Map<String, String> handlers() {
        Map<String, String> handlers = new TreeMap<>();
        for (ClassInfo c : index.getKnownClasses()) {
            if (c.isInterface() || c.isAbstract() || !isHandler(c)) {
                continue;
            }
            AnnotationInstance named = c.declaredAnnotation(NAMED);
            if (named == null) {
                continue;
            }
            AnnotationValue value = named.value();
            String name = value == null || value.asString().isEmpty() ? defaultBeanName(c) : value.asString();
            handlers.put(name, c.name().toString());
        }
        return handlers;
    }

    /** The input and output types of {@code RequestHandler<I, O>} implementations, by handler class. */
    Map<DotName, List<Type>> handlerTypes() {
        Map<DotName, List<Type>> types = new TreeMap<>();
        for (ClassInfo c : index.getKnownClasses()) {
            for (ClassInfo k = c; k != null; k = superclass(k)) {
                for (Type t : k.interfaceTypes()) {
                    if (t.name().equals(REQUEST_HANDLER) && t.kind() == Type.Kind.PARAMETERIZED_TYPE) {
                        types.put(c.name(), t.asParameterizedType().arguments());
                    }
                }
            }
        }
        return types;
    }

    private boolean isHandler(ClassInfo c) {
        for (ClassInfo k = c; k != null; k = superclass(k)) {
            for (DotName i : k.interfaceNames()) {
                if (i.equals(REQUEST_HANDLER) || i.equals(REQUEST_STREAM_HANDLER)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The superclass, when it is in this index. */
    ClassInfo superclass(ClassInfo c) {
        return c.superName() == null ? null : index.getClassByName(c.superName());
    }

    private static String defaultBeanName(ClassInfo c) {
        String simple = c.simpleName();
        return Character.toLowerCase(simple.charAt(0)) + simple.substring(1);
    }
}
