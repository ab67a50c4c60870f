package dev.contactfunctions.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * AWS's own template tools, run as the developer would run them: {@code cfn-lint} and the SAM translator (the
 * transform {@code sam validate} and {@code sam deploy} run), both Python packages. They are looked for in every
 * Python 3 this machine offers (PATH, pyenv's shims and versions); {@link #find()} is empty where none has them.
 */
final class AwsTemplateTools {

    static final String HOW_TO_GET_THEM = "AWS's template tools are not installed for any Python 3 found (%s): "
            + "run `python3 -m pip install cfn-lint aws-sam-translator` (cfn-lint 1.x, aws-sam-translator 1.x) and "
            + "test again";

    /** cfn-lint's own entry point (what its {@code cfn-lint} script runs; the package has no {@code __main__}). */
    private static final String CFN_LINT = "import sys; from cfnlint.runner import main; sys.argv[0] = 'cfn-lint';"
            + " sys.exit(main())";
    private static final Path TRANSLATE = Path.of("src", "test", "python", "sam_translate.py");
    private static Optional<AwsTemplateTools> found;
    private static List<String> tried = List.of();

    private final String python;

    private AwsTemplateTools(String python) {
        this.python = python;
    }

    /** The first Python 3 that has both cfn-lint and the SAM translator, if any. */
    static synchronized Optional<AwsTemplateTools> find() {
        if (found == null) {
            List<String> candidates = candidates();
            tried = candidates;
            found = candidates.stream().filter(AwsTemplateTools::hasTools).findFirst().map(AwsTemplateTools::new);
        }
        return found;
    }

    /** Why {@link #find()} is empty, and how to fix it. */
    static String absence() {
        return HOW_TO_GET_THEM.formatted(tried.isEmpty() ? "none" : String.join(", ", tried));
    }

    String python() {
        return python;
    }

    /**
     * {@code cfn-lint} on the template with informational findings included; each finding is one line
     * ({@code file:line:column:...:rule:message}). Empty when the template is clean.
     */
    List<String> lint(Path template) {
        Result result = run(List.of(python, "-c", CFN_LINT, "--format", "parseable", "--include-checks", "I", "--",
                template.toString()));
        List<String> findings = result.stdout().lines().filter(line -> !line.isBlank()).toList();
        if (result.exitCode() != 0 && findings.isEmpty()) {
            throw new IllegalStateException("cfn-lint failed (exit " + result.exitCode() + "): " + result.stderr());
        }
        return findings;
    }

    /** The CloudFormation template SAM's translator makes of {@code template} with these parameter values. */
    Template translate(Path template, Map<String, String> parameters) {
        List<String> command = new ArrayList<>(List.of(python, TRANSLATE.toString(), template.toString()));
        parameters.forEach((name, value) -> command.add(name + "=" + value));
        Result result = run(command);
        if (result.exitCode() != 0) {
            throw new AssertionError("SAM's transform refused " + template + ":\n" + result.stderr());
        }
        try {
            return new Template(new ObjectMapper().readValue(result.stdout(), new TypeReference<Map<String, Object>>() {
            }));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> candidates() {
        Set<String> candidates = new LinkedHashSet<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            for (String name : List.of("python3", "python")) {
                if (!dir.isBlank() && Files.isExecutable(Path.of(dir, name))) {
                    candidates.add(Path.of(dir, name).toString());
                }
            }
        }
        Path pyenv = Path.of(System.getenv().getOrDefault("PYENV_ROOT", System.getProperty("user.home") + "/.pyenv"));
        if (Files.isExecutable(pyenv.resolve("shims/python3"))) {
            candidates.add(pyenv.resolve("shims/python3").toString());
        }
        try (Stream<Path> versions = Files.list(pyenv.resolve("versions"))) {
            versions.map(v -> v.resolve("bin/python3")).filter(Files::isExecutable).sorted()
                    .forEach(p -> candidates.add(p.toString()));
        } catch (IOException e) {
            // no pyenv versions
        }
        return List.copyOf(candidates);
    }

    private static boolean hasTools(String python) {
        try {
            return run(List.of(python, "-c", "import cfnlint, samtranslator")).exitCode() == 0;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }

    private static Result run(List<String> command) {
        try {
            Path err = Files.createTempFile("aws-tools", ".err");
            try {
                Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
                process.getOutputStream().close();
                String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(5, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("timed out: " + command);
                }
                return new Result(process.exitValue(), out, Files.readString(err));
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
