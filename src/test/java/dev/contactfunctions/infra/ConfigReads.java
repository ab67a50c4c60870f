package dev.contactfunctions.infra;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.MethodInfo;
import org.jboss.jandex.Type;

/**
 * The configuration the main code reads, and so the environment variables that can reach it. Sources, each read
 * without running the code:
 * <ol>
 * <li>{@code application.properties}: every key outside a {@code %profile.} (readable through its environment
 * form), and every {@code ${NAME}} / {@code ${NAME:default}} expression in a value outside a profile;</li>
 * <li>{@code @ConfigMapping} interfaces: each member's property ({@code prefix.kebab-name}, nested groups
 * included); a member is required unless it is {@code Optional}, has {@code @WithDefault}, is a {@code Map}, or
 * its key is set in application.properties;</li>
 * <li>{@code @ConfigProperty} injection points: required unless {@code Optional} or given a {@code defaultValue},
 * or the key is set in application.properties;</li>
 * <li>{@code System.getenv("NAME")} calls in {@code src/main/java}: always required (no default is visible).</li>
 * </ol>
 * A property's environment form is SmallRye Config's: every character that is not a letter or digit becomes
 * {@code _}, and the result is upper-cased ({@code intercom.token-secret-arn} is {@code INTERCOM_TOKEN_SECRET_ARN}).
 */
final class ConfigReads {

    private static final DotName CONFIG_MAPPING = DotName.createSimple("io.smallrye.config.ConfigMapping");
    private static final DotName WITH_DEFAULT = DotName.createSimple("io.smallrye.config.WithDefault");
    private static final DotName WITH_NAME = DotName.createSimple("io.smallrye.config.WithName");
    private static final DotName WITH_PARENT_NAME = DotName.createSimple("io.smallrye.config.WithParentName");
    private static final DotName CONFIG_PROPERTY =
            DotName.createSimple("org.eclipse.microprofile.config.inject.ConfigProperty");
    private static final String UNCONFIGURED = "org.eclipse.microprofile.config.configproperty.unconfigureddvalue";
    private static final Set<String> OPTIONAL_TYPES = Set.of("java.util.Optional", "java.util.OptionalInt",
            "java.util.OptionalLong", "java.util.OptionalDouble", "jakarta.inject.Provider",
            "jakarta.enterprise.inject.Instance", "java.util.Map", "java.util.function.Supplier");
    private static final Pattern GETENV = Pattern.compile("System\\.getenv\\(\\s*\"([A-Za-z0-9_]+)\"\\s*\\)");
    private static final Pattern ENV_STYLE = Pattern.compile("[A-Z][A-Z0-9_]*");

    /** One value the code reads: its property (or variable) name, environment name, whether it must be set, where. */
    record Read(String name, String envName, boolean required, String origin) {
    }

    private final List<Read> reads = new ArrayList<>();
    private final Set<String> propertiesKeys = new LinkedHashSet<>();

    private ConfigReads() {
    }

    static ConfigReads of(CompiledClasses classes, Path applicationProperties, Path mainSources) {
        ConfigReads result = new ConfigReads();
        result.readProperties(applicationProperties);
        result.readConfigMappings(classes);
        result.readConfigProperties(classes);
        result.readGetenv(mainSources);
        return result;
    }

    static ConfigReads main() {
        return of(CompiledClasses.main(), Path.of("src", "main", "resources", "application.properties"),
                Path.of("src", "main", "java"));
    }

    List<Read> reads() {
        return reads;
    }

    List<Read> required() {
        return reads.stream().filter(Read::required).toList();
    }

    /** Every environment variable name that reaches the code. */
    Set<String> envNames() {
        Set<String> names = new LinkedHashSet<>();
        reads.forEach(r -> names.add(r.envName()));
        return names;
    }

    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private void add(String name, boolean required, String origin) {
        reads.add(new Read(name, envName(name), required && !propertiesKeys.contains(name), origin));
    }

    // ---------------------------------------------------------------- application.properties

    private void readProperties(Path file) {
        if (!Files.exists(file)) {
            return;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String key : properties.stringPropertyNames()) {
            if (!key.startsWith("%")) {
                propertiesKeys.add(key);
            }
        }
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("%")) {
                continue;
            }
            add(key, false, "application.properties key " + key);
            expressions(properties.getProperty(key), "application.properties " + key);
        }
    }

    /** Records the names in {@code ${name}} and {@code ${name:default}} expressions, nested ones included. */
    private void expressions(String value, String origin) {
        int start = value.indexOf("${");
        while (start >= 0) {
            int depth = 0;
            int end = -1;
            int colon = -1;
            for (int i = start; i < value.length(); i++) {
                if (value.startsWith("${", i)) {
                    depth++;
                    i++;
                } else if (value.charAt(i) == '}') {
                    depth--;
                    if (depth == 0) {
                        end = i;
                        break;
                    }
                } else if (value.charAt(i) == ':' && depth == 1 && colon < 0) {
                    colon = i;
                }
            }
            if (end < 0) {
                return;
            }
            String name = value.substring(start + 2, colon < 0 ? end : colon);
            if (name.contains("${")) {
                expressions(name, origin);
            } else {
                boolean required = colon < 0 && !propertiesKeys.contains(name);
                if (ENV_STYLE.matcher(name).matches()) {
                    reads.add(new Read(name, name, required, origin));
                } else {
                    add(name, required, origin);
                }
            }
            if (colon >= 0) {
                expressions(value.substring(colon + 1, end), origin);
            }
            start = value.indexOf("${", end + 1);
        }
    }

    // ---------------------------------------------------------------- @ConfigMapping

    private void readConfigMappings(CompiledClasses classes) {
        for (AnnotationInstance mapping : classes.index().getAnnotations(CONFIG_MAPPING)) {
            if (mapping.target().kind() != AnnotationTarget.Kind.CLASS) {
                continue;
            }
            AnnotationValue prefix = mapping.value("prefix");
            ClassInfo type = mapping.target().asClass();
            readGroup(classes, type, prefix == null ? "" : prefix.asString(), false, type.name().toString());
        }
    }

    private void readGroup(CompiledClasses classes, ClassInfo group, String prefix, boolean optional, String origin) {
        for (MethodInfo member : group.methods()) {
            if (member.parametersCount() > 0 || java.lang.reflect.Modifier.isStatic(member.flags())
                    || !java.lang.reflect.Modifier.isAbstract(member.flags())) {
                continue;
            }
            String name;
            if (member.hasDeclaredAnnotation(WITH_PARENT_NAME)) {
                name = prefix;
            } else {
                AnnotationInstance withName = member.declaredAnnotation(WITH_NAME);
                String own = withName != null ? withName.value().asString() : kebab(member.name());
                name = prefix.isEmpty() ? own : prefix + "." + own;
            }
            Type type = member.returnType();
            boolean optionalType = OPTIONAL_TYPES.contains(type.name().toString());
            Type valueType = optionalType && type.kind() == Type.Kind.PARAMETERIZED_TYPE
                    ? type.asParameterizedType().arguments().get(0)
                    : type;
            ClassInfo nested = classes.find(valueType.name()).orElse(null);
            if (nested != null && nested.isInterface() && !nested.isAnnotation()) {
                readGroup(classes, nested, name, optional || optionalType, origin);
                continue;
            }
            boolean required = !optional && !optionalType && !member.hasDeclaredAnnotation(WITH_DEFAULT);
            add(name, required, "@ConfigMapping " + origin + "." + member.name() + "()");
        }
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    // ---------------------------------------------------------------- @ConfigProperty

    private void readConfigProperties(CompiledClasses classes) {
        for (AnnotationInstance property : classes.index().getAnnotations(CONFIG_PROPERTY)) {
            AnnotationTarget target = property.target();
            Type type;
            String where;
            if (target.kind() == AnnotationTarget.Kind.FIELD) {
                type = target.asField().type();
                where = target.asField().declaringClass().name() + "." + target.asField().name();
            } else if (target.kind() == AnnotationTarget.Kind.METHOD_PARAMETER) {
                type = target.asMethodParameter().type();
                where = target.asMethodParameter().method().declaringClass().name() + "."
                        + target.asMethodParameter().method().name() + "(...)";
            } else {
                continue;
            }
            AnnotationValue nameValue = property.value("name");
            String name = nameValue == null || nameValue.asString().isEmpty() ? where : nameValue.asString();
            AnnotationValue defaultValue = property.value("defaultValue");
            boolean hasDefault = defaultValue != null && !UNCONFIGURED.equals(defaultValue.asString());
            boolean required = !hasDefault && !OPTIONAL_TYPES.contains(type.name().toString());
            add(name, required, "@ConfigProperty " + where);
        }
    }

    // ---------------------------------------------------------------- System.getenv

    private void readGetenv(Path sources) {
        if (!Files.isDirectory(sources)) {
            return;
        }
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                Matcher m = GETENV.matcher(Files.readString(file));
                while (m.find()) {
                    reads.add(new Read(m.group(1), m.group(1), true, "System.getenv in " + sources.relativize(file)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
