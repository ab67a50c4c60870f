package dev.contactfunctions.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Ends a test run with one line saying what the OpenAPI contract checks did ({@link OpenApiContract#summary()}).
 * Registered with the JUnit Platform in META-INF/services. The unit tests' run (surefire) also keeps its line in the
 * file named by {@value #KEEP_PROPERTY}; the packaging checks' run (failsafe), the build's last, repeats the line
 * from the file named by {@value #REPEAT_PROPERTY}, so that it is among the build's last lines. The JVMs of the tests
 * that start no Quarkus application, which send Intercom no request to check, run with {@value #QUIET_PROPERTY} and
 * say nothing (surefire ends each of their classes as a run of its own).
 */
public class OpenApiContractSummary implements TestExecutionListener {

    static final String KEEP_PROPERTY = "openapi-contract.keep";
    static final String REPEAT_PROPERTY = "openapi-contract.repeat";
    static final String QUIET_PROPERTY = "openapi-contract.quiet";

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (Boolean.getBoolean(QUIET_PROPERTY)) {
            return;
        }
        try {
            String repeat = System.getProperty(REPEAT_PROPERTY);
            if (repeat != null) {
                Path kept = Path.of(repeat);
                if (Files.isRegularFile(kept)) {
                    System.out.println(System.lineSeparator() + Files.readString(kept).strip());
                    Files.delete(kept);
                }
                return;
            }
            String line = OpenApiContract.summary();
            // on a line of its own, whatever a test left unterminated on standard output
            System.out.println(System.lineSeparator() + line);
            String keep = System.getProperty(KEEP_PROPERTY);
            if (keep != null) {
                Files.writeString(Path.of(keep), line + System.lineSeparator());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
