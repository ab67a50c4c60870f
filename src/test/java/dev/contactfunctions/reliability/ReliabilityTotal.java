package dev.contactfunctions.reliability;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints the reliability suite's total line ({@code reliability: scenario=total ...}) once the test run is over,
 * whichever scenario classes ran. Registered with the JUnit Platform in META-INF/services.
 */
public class ReliabilityTotal implements TestExecutionListener {

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        // on a line of its own even when another engine's listener left its last line open (jqwik does)
        ScenarioFigures.totalLine().ifPresent(line -> System.out.println(System.lineSeparator() + line));
    }
}
