package dev.contactfunctions.sandbox.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The steps of the walkthrough in {@code docs/local-run.md}, read from the page itself: each {@code bash} block of
 * the section "## Walkthrough" is a command, and the next {@code json} or {@code text} block is the answer it prints,
 * where {@code …} stands for anything on that line.
 */
record WalkthroughPage(List<WalkthroughPage.Step> steps) {

    static final Path PAGE = Path.of("docs", "local-run.md");
    static final String SECTION = "## Walkthrough";
    static final String ANYTHING = "…";

    record Step(String command, String answer) {

        /** Whether the printed output is the answer the page shows. */
        boolean answeredBy(String output) {
            return expected().matcher(output.strip()).matches();
        }

        Pattern expected() {
            StringBuilder regex = new StringBuilder();
            String[] parts = answer.strip().split(ANYTHING, -1);
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    regex.append("[^\\n]*?");
                }
                regex.append(Pattern.quote(parts[i]));
            }
            return Pattern.compile(regex.toString());
        }
    }

    static WalkthroughPage read() throws IOException {
        return parse(Files.readString(PAGE));
    }

    static WalkthroughPage parse(String page) {
        page = "\n" + page;
        int start = page.indexOf("\n" + SECTION + "\n");
        if (start < 0) {
            throw new IllegalStateException(PAGE + " has no section '" + SECTION + "'");
        }
        int end = page.indexOf("\n## ", start + SECTION.length() + 1);
        String section = page.substring(start, end < 0 ? page.length() : end);

        List<Step> steps = new ArrayList<>();
        String command = null;
        String[] lines = section.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].startsWith("```") || lines[i].equals("```")) {
                continue;
            }
            String language = lines[i].substring(3).strip();
            StringBuilder block = new StringBuilder();
            for (i++; i < lines.length && !lines[i].equals("```"); i++) {
                block.append(lines[i]).append('\n');
            }
            if (language.equals("bash")) {
                if (command != null) {
                    throw new IllegalStateException("the command '" + command + "' has no answer block after it");
                }
                command = block.toString().strip();
            } else if (language.equals("json") || language.equals("text")) {
                if (command == null) {
                    throw new IllegalStateException("an answer block follows no command: " + block);
                }
                steps.add(new Step(command, block.toString()));
                command = null;
            }
        }
        if (command != null) {
            throw new IllegalStateException("the command '" + command + "' has no answer block after it");
        }
        return new WalkthroughPage(List.copyOf(steps));
    }
}
