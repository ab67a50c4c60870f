package dev.contactfunctions.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * In a native image Jackson sees only the classes registered for reflection; an unregistered DTO is written as
 * {@code {}} or read as nulls, silently (quarkus#1781, #14556). This test lists the types of the compiled main code
 * ({@code target/classes}, package {@code dev.contactfunctions}, the sandbox excluded) that Jackson reads or writes,
 * and fails naming each one that is not registered.
 *
 * <p><b>A type needs registration</b> (classes and records; interfaces never, enums only with Jackson annotations,
 * since their constants are written by name) when:
 * <ol>
 * <li><b>annotated</b>: it, or one of its fields, methods, constructors, parameters or record components, carries an
 * annotation from {@code com.fasterxml.jackson.annotation} or {@code com.fasterxml.jackson.databind.annotation};</li>
 * <li><b>read</b>: its class literal is passed to Jackson data binding ({@code readValue(body, Lead.class)},
 * {@code treeToValue}, {@code convertValue}, {@code readerFor}, {@code constructType}, ...), directly or through a
 * method of ours that hands its {@code Class} parameter on to Jackson; or it is a type argument of a
 * {@code TypeReference} subclass;</li>
 * <li><b>written</b>: it is the compile-time type of a value passed to {@code writeValue*}, {@code valueToTree} or
 * {@code convertValue}, directly or through a method of ours that hands its parameter on to one of those (so
 * {@code ApiResponses.json(200, result)} makes {@code result}'s type required);</li>
 * <li><b>reachable</b>: it is the type of a field, record component or getter (type arguments and arrays included)
 * of a required type, of a handler's input or output, or of a REST client signature type; or it implements or
 * extends such a type (Jackson writes a value by its runtime class); or it is the superclass of a required type.</li>
 * </ol>
 * <p><b>A type is registered</b> when it carries {@code @RegisterForReflection}, is listed in the {@code targets} or
 * {@code classNames} of a {@code @RegisterForReflection} anywhere in the main code, or is nested in such a class
 * (unless {@code ignoreNested = true}). <b>Quarkus registers on its own</b> the parameter and return types of
 * {@code @RegisterRestClient} interfaces and the input/output types of {@code RequestHandler}s, with the types of
 * their fields (not the implementations of an interface-typed field: those fall under rule 4).
 *
 * <p><b>Not seen</b>: values written inside a {@code Map} or {@code List} built in place, and Jackson calls inside
 * lambdas; wrap such values in a record or call Jackson from a named method. Prefer {@code @RegisterForReflection}
 * on each DTO; a registration class in {@code dev.contactfunctions.invocation} may list library types.
 * {@link NativeReflectionScannerTest} proves each rule on fixtures.
 */
class NativeReflectionTest {

    private static NativeReflectionScanner scan;

    @BeforeAll
    static void scanMainClasses() {
        scan = NativeReflectionScanner.scan(CompiledClasses.main(), NativeReflectionTest.class.getClassLoader());
    }

    @Test
    void everyTypeJacksonReadsOrWritesIsRegisteredForReflection() {
        List<NativeReflectionScanner.Finding> findings = scan.unregistered();

        assertThat(findings)
                .as("types Jackson reads or writes that a native image would not register; add "
                        + "@io.quarkus.runtime.annotations.RegisterForReflection to each:%n%s",
                        findings.stream().map(f -> "  - " + f).collect(Collectors.joining(System.lineSeparator())))
                .isEmpty();
    }

    @Test
    void theScanSeesTheMainCodeAndWhatQuarkusRegistersItself() {
        // Guards against a scan that finds nothing (wrong directory) and therefore passes.
        assertThat(CompiledClasses.main().classFiles()).hasSizeGreaterThan(20);
        assertThat(scan.automatic()).contains("dev.contactfunctions.intercom.model.Contact",
                "dev.contactfunctions.intercom.model.Contact$TagRefs");
        assertThat(scan.required()).containsKeys("dev.contactfunctions.intercom.search.FieldFilter",
                "dev.contactfunctions.intercom.search.GroupFilter");
    }
}
