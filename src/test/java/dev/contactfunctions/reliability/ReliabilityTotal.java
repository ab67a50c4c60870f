package dev.contactfunctions.reliability;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints the reliability suite's total line ({@code reliability: scenario=total ...}) once the test run is over,
 * whichever scenario classes ran. Registered with the JUnit Platform in META-INF/services. Surefire ends each class
 * it hands a test JVM as a run of its own, so a JVM prints the line again only when it has changed.
 */
public class ReliabilityTotal implements TestExecutionListener {

    /** The line this JVM printed last (a JDK object, which every class loader of the JVM sees). */
    private static final String PRINTED_KEY = "dev.contactfunctions.reliability.total-printed";

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        ScenarioFigures.totalLine()
                .filter(line -> !line.equals(System.getProperties().get(PRINTED_KEY)))
                .ifPresent(line -> {
                    System.getProperties().put(PRINTED_KEY, line);
                    // on a line of its own even when another engine's listener left its last line open (jqwik does)
                    System.out.println(System.lineSeparator() + line);
                });
    }
}
