package dev.contactfunctions.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.util.ResolverFully;

/**
 * Intercom's official OpenAPI description (2.14), to check the requests we send and the responses we fake against it.
 * The file lives outside the repository, at {@code ../shared/intercom/api.intercom.io.yaml} from the project
 * directory, or wherever the system property {@value #LOCATION_PROPERTY} points. Where it is absent, the checks are
 * skipped: tests guard them with {@code Assumptions.assumeTrue(OpenApiContract.available(), OpenApiContract.skipped())},
 * and {@link OpenApiContractSummary} ends the run with one line saying how many requests were (or were not) checked.
 * With {@value #REQUIRED_PROPERTY}{@code =true} (this repository's CI sets it) its absence fails the run instead.
 * <p>
 * Checks are strict where the validator is by default: a property the description does not declare is reported (so a
 * misspelt field is caught), query parameters it does not declare are not. Where the 2.14 description is narrower than
 * the API (search {@code sort}, null search values, the data-attribute type), it is widened in memory when loaded;
 * each widening says why. Messages are {@code "key [parameter]: text"}, errors only.
 */
public final class OpenApiContract {

    public static final String LOCATION_PROPERTY = "intercom-openapi";
    public static final String REQUIRED_PROPERTY = "intercom-openapi.required";

    /**
     * The run's counts (checked, invalid, unchecked), kept in a JDK object under a system property: Quarkus loads the
     * test classes in its own class loader, so a static field here would not be the one the summary reads.
     */
    private static final String COUNTS_KEY = "dev.contactfunctions.openapi-contract.counts";
    private static final int CHECKED = 0;
    private static final int INVALID = 1;
    private static final int UNCHECKED = 2;

    private OpenApiContract() {
    }

    /** Where the description is looked for. */
    public static Path location() {
        String configured = System.getProperty(LOCATION_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        // surefire runs with the project directory as working directory; shared/ lies beside the clone
        return Path.of("").toAbsolutePath().resolveSibling("shared").resolve("intercom").resolve("api.intercom.io.yaml");
    }

    /** Whether the description is there; when it is required ({@value #REQUIRED_PROPERTY}), it must be. */
    public static boolean available() {
        return available(location(), Boolean.getBoolean(REQUIRED_PROPERTY));
    }

    static boolean available(Path location, boolean required) {
        if (Files.isRegularFile(location)) {
            return true;
        }
        if (required) {
            throw new IllegalStateException("Intercom's OpenAPI description is missing at " + location + " and -D"
                    + REQUIRED_PROPERTY + "=true: put it there, or point -D" + LOCATION_PROPERTY + " at it");
        }
        return false;
    }

    /** The reason given for a skipped check. */
    public static String skipped() {
        return "no OpenAPI description at " + location() + ": contract check skipped (-D" + LOCATION_PROPERTY
                + "=<file> points at Intercom's api.intercom.io.yaml)";
    }

    /**
     * Checks requests sent to a fake Intercom and returns each one's problems (an empty list when it is valid); when
     * the description is absent, only counts them as unchecked and returns no problems.
     */
    public static List<List<String>> checkRequests(List<Received> requests) {
        if (!available()) {
            counts().addAndGet(UNCHECKED, requests.size());
            return requests.stream().map(request -> List.<String>of()).toList();
        }
        List<List<String>> problems = requests.stream()
                .map(r -> JvmValidator.PROBLEMS.apply(Arrays.asList(r.method(), r.path(), r.query(), r.headers(),
                        r.body())))
                .toList();
        counts().addAndGet(CHECKED, problems.size());
        counts().addAndGet(INVALID, problems.stream().filter(p -> !p.isEmpty()).count());
        return problems;
    }

    /** A request a fake Intercom received, in JDK types (see {@link JvmValidator}); {@code body} may be null. */
    public record Received(String method, String path, Map<String, List<String>> query,
            Map<String, List<String>> headers, String body) {
    }

    /** What the description finds wrong with a request (not counted in the run's figures). */
    static List<String> problems(Request request) {
        return messages(Holder.VALIDATOR.validateRequest(request));
    }

    /**
     * {@link #problems} of a request given as its five parts (method, path, query, headers, body), as a function of
     * JDK types only, which a class loader other than this class's can call.
     */
    @SuppressWarnings("unchecked")
    static Function<List<Object>, List<String>> problemsOfParts() {
        return parts -> problems(request((String) parts.get(0), (String) parts.get(1),
                (Map<String, List<String>>) parts.get(2), (Map<String, List<String>>) parts.get(3),
                (String) parts.get(4)));
    }

    /**
     * The JVM's one validator. Quarkus loads the test classes anew for each application of a run (each test profile),
     * and parsing the description costs seconds of CPU each time; so the checks go to the copy of this class in the
     * JVM's system class loader, which every application shares, and fall back to this class loader's own where
     * the system class loader does not have the test classes.
     */
    private static final class JvmValidator {
        static final Function<List<Object>, List<String>> PROBLEMS = locate();

        @SuppressWarnings("unchecked")
        private static Function<List<Object>, List<String>> locate() {
            try {
                Class<?> shared = Class.forName(OpenApiContract.class.getName(), true,
                        ClassLoader.getSystemClassLoader());
                if (shared != OpenApiContract.class) {
                    Method problems = shared.getDeclaredMethod("problemsOfParts");
                    problems.setAccessible(true);
                    return (Function<List<Object>, List<String>>) problems.invoke(null);
                }
            } catch (ReflectiveOperationException | LinkageError e) {
                // not on the system class path (an IDE's or another build tool's launcher): this class loader's own
            }
            return problemsOfParts();
        }
    }

    /** This JVM's counts so far: requests checked, of them invalid, requests not checked (no description). */
    static long[] countsSoFar() {
        AtomicLongArray counts = counts();
        return new long[] { counts.get(CHECKED), counts.get(INVALID), counts.get(UNCHECKED) };
    }

    /**
     * The run's one line: {@code openapi-contract: <n> requests checked, <m> invalid}, or, without the description,
     * {@code openapi-contract: off (no description at <path>): 0 of <n> Intercom requests checked}; {@code counts} as
     * {@link #countsSoFar()} gives them (or their sum over the run's JVMs).
     */
    static String summary(long[] counts) {
        if (!Files.isRegularFile(location())) {
            return "openapi-contract: off (no description at " + location() + "): 0 of " + counts[UNCHECKED]
                    + " Intercom requests checked";
        }
        return "openapi-contract: " + counts[CHECKED] + " requests checked, " + counts[INVALID] + " invalid";
    }

    private static AtomicLongArray counts() {
        return (AtomicLongArray) System.getProperties().computeIfAbsent(COUNTS_KEY, key -> new AtomicLongArray(3));
    }

    /** A request as the validator takes it ({@code Content-Type} among the headers when there is a body). */
    public static Request request(String method, String path, Map<String, List<String>> query,
            Map<String, List<String>> headers, String body) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(method.toUpperCase(), path);
        query.forEach(request::withQueryParam);
        headers.forEach(request::withHeader);
        if (body != null && !body.isEmpty()) {
            request.withBody(body);
        }
        return request.build();
    }

    /** The problems the description finds in a response to {@code method path} (empty when it is valid). */
    public static List<String> validateResponse(String method, String path, int status,
            Map<String, List<String>> headers, String body) {
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
        headers.forEach(response::withHeader);
        if (body != null && !body.isEmpty()) {
            response.withBody(body);
        }
        return messages(Holder.VALIDATOR.validateResponse(path, Request.Method.valueOf(method.toUpperCase()),
                response.build()));
    }

    private static List<String> messages(ValidationReport report) {
        return report.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .map(m -> m.getKey() + m.getContext().flatMap(c -> c.getParameter())
                        .map(p -> " [" + p.getIn() + " " + p.getName() + "]").orElse("") + ": " + m.getMessage())
                .toList();
    }

    /** Loaded once per class loader, on first use: parsing the 900 kB description takes seconds. */
    private static final class Holder {
        static final OpenApiInteractionValidator VALIDATOR = load();

        private static OpenApiInteractionValidator load() {
            Path file = location();
            String yaml;
            try {
                yaml = Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file + "; guard with OpenApiContract.available()", e);
            }
            ParseOptions options = new ParseOptions();
            options.setResolve(true);
            OpenAPI api = Optional.ofNullable(new OpenAPIV3Parser().readContents(yaml, null, options).getOpenAPI())
                    .orElseThrow(() -> new IllegalStateException("Not an OpenAPI description: " + file));
            applyGlobalSecurity(api);
            patchSearchValue(api);
            addSearchSort(api);
            flattenDataAttributeType(api);
            // inline every $ref (after patching): otherwise the validator misses the type of referenced parameter
            // schemas and reads the header Intercom-Version: 2.14 as a number
            new ResolverFully().resolveFully(api);
            return OpenApiInteractionValidator.createFor(api).build();
        }

        /**
         * The description requires the bearer token once, globally; the validator looks only at each operation's own
         * {@code security}. OpenAPI's rule (an operation without one inherits the global one) is applied here.
         */
        private static void applyGlobalSecurity(OpenAPI api) {
            if (api.getSecurity() == null || api.getPaths() == null) {
                return;
            }
            api.getPaths().values().forEach(path -> path.readOperations().stream()
                    .filter(operation -> operation.getSecurity() == null)
                    .forEach(operation -> operation.setSecurity(api.getSecurity())));
        }

        /**
         * {@code single_filter_search_request.value} is a {@code oneOf} marked {@code nullable} without a {@code type}:
         * the validator ignores such a {@code nullable}, so a null value (which Intercom accepts) matches no alternative.
         * Moving the null into the string alternative keeps the meaning: a string, integer, boolean, array or null.
         */
        @SuppressWarnings({ "rawtypes", "unchecked" })
        private static void patchSearchValue(OpenAPI api) {
            Schema<?> filter = api.getComponents().getSchemas().get("single_filter_search_request");
            Schema value = filter == null || filter.getProperties() == null ? null
                    : (Schema) filter.getProperties().get("value");
            if (value == null || !Boolean.TRUE.equals(value.getNullable()) || value.getOneOf() == null) {
                return;
            }
            value.setNullable(null);
            for (Object alternative : value.getOneOf()) {
                Schema schema = (Schema) alternative;
                if ("string".equals(schema.getType())) {
                    schema.setNullable(true);
                }
            }
        }

        /**
         * The search {@code sort} ({@code {"field": ..., "order": "ascending"|"descending"}}) is described from 2.16 on
         * ({@code contact_search_request}) but accepted by the API before; 2.14's {@code search_request} omits it.
         */
        private static void addSearchSort(OpenAPI api) {
            Schema<?> search = api.getComponents().getSchemas().get("search_request");
            if (search == null || search.getProperties() == null || search.getProperties().containsKey("sort")) {
                return;
            }
            search.addProperty("sort", new ObjectSchema()
                    .addProperty("field", new StringSchema())
                    .addProperty("order", new StringSchema()._enum(List.of("ascending", "descending"))));
        }

        /**
         * {@code create_data_attribute_request} declares {@code data_type} only inside a {@code oneOf} (list or other
         * types), which a validator that refuses undeclared properties (this one's default) reads as "data_type is not
         * allowed" for every body, Intercom's own examples included. The alternatives are folded into plain properties
         * with the same enum, so the type is still checked.
         */
        @SuppressWarnings({ "rawtypes", "unchecked" })
        private static void flattenDataAttributeType(OpenAPI api) {
            Schema request = api.getComponents().getSchemas().get("create_data_attribute_request");
            if (request == null || request.getOneOf() == null) {
                return;
            }
            List<Object> types = new ArrayList<>();
            for (Object alternative : request.getOneOf()) {
                Map<String, Schema> properties = ((Schema) alternative).getProperties();
                if (properties == null) {
                    continue;
                }
                properties.forEach((name, schema) -> {
                    if ("data_type".equals(name) && schema.getEnum() != null) {
                        types.addAll(schema.getEnum());
                    } else if (!request.getProperties().containsKey(name)) {
                        request.addProperty(name, schema);
                    }
                });
            }
            request.addProperty("data_type", new StringSchema()._enum(types.stream().map(String::valueOf).toList()));
            request.setOneOf(null);
        }
    }
}
