package dev.contactfunctions.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WalkthroughPageTest {

    private static final String PAGE = """
            # Local run

            ```bash
            not a step: outside the section
            ```

            ## Walkthrough

            ```bash
            echo one
            ```

            ```json
            {"id": "…", "n": 1}
            ```

            ```bash
            echo two
            ```

            ```text
            two
            ```

            ## Afterwards

            ```bash
            not a step either
            ```
            """;

    @Test
    void theStepsAreTheCommandsOfTheSectionWithTheirAnswers() {
        assertThat(WalkthroughPage.parse(PAGE).steps()).extracting(WalkthroughPage.Step::command)
                .containsExactly("echo one", "echo two");
    }

    @Test
    void anEllipsisStandsForAnythingOnItsLineAndTheRestMustMatchExactly() {
        WalkthroughPage.Step step = WalkthroughPage.parse(PAGE).steps().get(0);

        assertThat(step.answeredBy("{\"id\": \"6630d3c1\", \"n\": 1}\n")).isTrue();
        assertThat(step.answeredBy("{\"id\": \"6630d3c1\", \"n\": 2}")).isFalse();
        assertThat(step.answeredBy("{\"id\": \"a\nb\", \"n\": 1}")).isFalse();
    }

    @Test
    void aCommandWithoutAnAnswerIsAMistakeInThePage() {
        assertThatThrownBy(() -> WalkthroughPage.parse("## Walkthrough\n\n```bash\necho\n```\n"))
                .hasMessageContaining("has no answer block");
    }
}
