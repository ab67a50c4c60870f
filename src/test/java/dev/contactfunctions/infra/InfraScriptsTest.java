package dev.contactfunctions.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

/**
 * The scripts in {@code infra/scripts}: bash, strict mode, executable; the operations scripts also answer
 * {@code --help} without touching AWS and take {@code --region}/{@code --profile}. Every failure exit ends with one
 * line saying what is wrong and a non-zero status: a missing tool, an event file that cannot be read or is no JSON
 * object, an answer that is not 2xx, a queue name the redrive does not know. The scripts run here with a PATH of
 * their own, where {@code aws} and {@code sam} are stubs that fail, so that nothing reaches AWS.
 */
class InfraScriptsTest {

    private static final Path SCRIPTS = Path.of("infra", "scripts");
    private static final List<String> OPERATIONS = List.of("deploy.sh", "create-secrets.sh", "tail-logs.sh",
            "redrive-dlq.sh");

    @Test
    void everyScriptIsAnExecutableBashScriptInStrictMode() throws IOException {
        List<Path> scripts = scripts();
        assertThat(scripts).extracting(p -> p.getFileName().toString()).containsAll(OPERATIONS);

        for (Path script : scripts) {
            String text = Files.readString(script);
            assertThat(text).as(script.toString()).startsWith("#!/usr/bin/env bash\n").contains("\nset -euo pipefail\n");
            assertThat(Files.isExecutable(script)).as("%s is executable", script).isTrue();
        }
    }

    @Test
    void operationsScriptsExplainThemselvesWithHelp() throws Exception {
        for (String name : OPERATIONS) {
            Path script = SCRIPTS.resolve(name);
            Process process = new ProcessBuilder("bash", script.toString(), "--help").redirectErrorStream(true).start();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("%s --help finishes", name).isTrue();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(process.exitValue()).as("%s --help exit status; output:%n%s", name, output).isZero();
            assertThat(output).as(name).startsWith("Usage: infra/scripts/" + name).contains("--stage", "--region",
                    "--profile", "-h, --help");
        }
    }

    @Test
    void operationsScriptsRefuseUnknownOptionsAndAMissingStage() throws Exception {
        for (String name : OPERATIONS) {
            for (List<String> arguments : List.of(List.of("--bogus"), List.<String>of())) {
                List<String> command = new java.util.ArrayList<>(List.of("bash", SCRIPTS.resolve(name).toString()));
                command.addAll(arguments);
                Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
                assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

                assertThat(process.exitValue()).as("%s %s; output:%n%s", name, arguments, output).isEqualTo(2);
                assertThat(output).contains("Usage: infra/scripts/" + name);
            }
        }
    }

    // ---------------------------------------------------------------- failure exits

    @Test
    void eachScriptEndsWithOneLineNamingAMissingTool() throws Exception {
        Map<List<String>, List<String>> toolsByCommand = new LinkedHashMap<>();
        toolsByCommand.put(List.of("send-event.sh", "infra/events/segment-audit.json"),
                List.of("jq", "openssl", "curl", "base64"));
        toolsByCommand.put(List.of("deploy.sh", "--stage", "dev", "--skip-build"), List.of("sam", "aws", "jq", "unzip"));
        toolsByCommand.put(List.of("create-secrets.sh", "--stage", "dev"), List.of("aws"));
        toolsByCommand.put(List.of("tail-logs.sh", "--stage", "dev"), List.of("aws"));
        toolsByCommand.put(List.of("redrive-dlq.sh", "--stage", "dev", "--queue", "audit-failure"), List.of("aws", "jq"));

        toolsByCommand.forEach((command, tools) -> {
            for (String tool : tools) {
                ScriptRun run = run(command, Map.of(), Set.of(tool));

                assertThat(run.exit()).as("%s without %s: %s", command, tool, run).isEqualTo(1);
                assertThat(run.errLines()).as("%s without %s", command, tool)
                        .containsExactly("error: " + tool + " is required but not installed (not found in PATH)");
            }
        });
    }

    @Test
    void theNativeDeployNeedsAContainerEngineAndTheJvmDeployDoesNot() {
        ScriptRun nativeBuild = run(List.of("deploy.sh", "--stage", "dev", "--native"), Map.of(),
                Set.of("docker", "podman"));
        ScriptRun jvmDeploy = run(List.of("deploy.sh", "--stage", "dev", "--skip-build"), Map.of(),
                Set.of("docker", "podman", "unzip"));

        assertThat(nativeBuild.exit()).as(nativeBuild.toString()).isEqualTo(1);
        assertThat(nativeBuild.errLines()).containsExactly(
                "error: the native build (in a container) needs one of: docker podman (none found in PATH)");
        assertThat(jvmDeploy.errLines()).as("the JVM path goes on to its own tools")
                .containsExactly("error: unzip is required but not installed (not found in PATH)");
    }

    @Test
    void sendEventRefusesAnEventFileItCannotReadOrThatIsNoJsonObject() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("broken.json", "{\"rawPath\": \"/webhooks/leads\",");
        files.put("array.json", "[{\"rawPath\": \"/webhooks/leads\"}]");
        files.put("empty.json", "");
        Map<String, String> expected = Map.of(
                "broken.json", "is not JSON: ",
                "array.json", "holds a JSON array: an event is one JSON object",
                "empty.json", "is empty: an event is one JSON object");
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path event = Files.writeString(work.resolve(file.getKey()), file.getValue());
            ScriptRun run = run(List.of("send-event.sh", event.toString()), Map.of("LOCAL_RUN_URL", unusedUrl()), Set.of());

            assertThat(run.exit()).as("%s: %s", file.getKey(), run).isEqualTo(1);
            assertThat(run.errLines()).singleElement().asString().startsWith("error: " + event)
                    .contains(expected.get(file.getKey()));
            assertThat(run.out()).isEmpty();
        }
        for (Path unreadable : List.of(work.resolve("missing.json"), work)) {
            ScriptRun run = run(List.of("send-event.sh", unreadable.toString()), Map.of(), Set.of());

            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.errLines()).containsExactly("error: cannot read the event file " + unreadable);
        }
    }

    @Test
    void sendEventExitsNonZeroOnANon2xxAnswerUnlessAllowed() throws IOException {
        Map<String, String[]> answers = Map.of(
                "/threw", new String[] { "500", "{\"errorType\":\"java.lang.IllegalStateException\"}" },
                "/refused", new String[] { "200", "{\"statusCode\":401,\"body\":\"{\\\"error\\\":\\\"bad_signature\\\"}\"}" },
                "/deferred", new String[] { "200", "{\"statusCode\":202,\"body\":\"{}\"}" },
                "/audit", new String[] { "200", "{\"status\":\"complete\"}" });
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        answers.forEach((path, answer) -> server.createContext(path, exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = answer[1].getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(Integer.parseInt(answer[0]), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        }));
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            String lead = "infra/events/lead-capture-json.json";

            ScriptRun threw = run(List.of("send-event.sh", lead), Map.of("LOCAL_RUN_URL", base + "/threw"), Set.of());
            ScriptRun refused = run(List.of("send-event.sh", lead), Map.of("LOCAL_RUN_URL", base + "/refused"), Set.of());
            ScriptRun allowed = run(List.of("send-event.sh", "--allow-error", lead),
                    Map.of("LOCAL_RUN_URL", base + "/refused"), Set.of());
            ScriptRun deferred = run(List.of("send-event.sh", lead), Map.of("LOCAL_RUN_URL", base + "/deferred"), Set.of());
            ScriptRun audit = run(List.of("send-event.sh", "infra/events/segment-audit.json"),
                    Map.of("LOCAL_RUN_URL", base + "/audit"), Set.of());
            ScriptRun nobody = run(List.of("send-event.sh", lead), Map.of("LOCAL_RUN_URL", unusedUrl()), Set.of());

            assertThat(threw.exit()).as(threw.toString()).isEqualTo(1);
            assertThat(threw.out()).contains("IllegalStateException");
            assertThat(threw.errLines()).containsExactly(
                    "error: the local run answered HTTP 500 (--allow-error to exit 0 on it)");
            assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
            assertThat(refused.out()).contains("\"statusCode\": 401", "\"error\": \"bad_signature\"");
            assertThat(refused.errLines()).containsExactly(
                    "error: the function answered statusCode 401 (--allow-error to exit 0 on it)");
            assertThat(allowed.exit()).as(allowed.toString()).isZero();
            assertThat(allowed.out()).isEqualTo(refused.out());
            assertThat(deferred.exit()).as(deferred.toString()).isZero();
            assertThat(audit.exit()).as(audit.toString()).isZero();
            assertThat(nobody.exit()).isEqualTo(1);
            assertThat(nobody.errLines()).singleElement().asString().startsWith("error: nothing answers at ");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theRedriveTakesTheQueueNamesItsHelpListsAndNothingElse() throws IOException {
        ScriptRun help = run(List.of("redrive-dlq.sh", "--help"), Map.of(), Set.of());
        List<String> names = List.of("audit-schedule", "audit-failure", "lead-capture-deferral",
                "identify-merge-deferral");
        assertThat(help.out()).contains(names);

        for (String name : names) {
            ScriptRun run = run(List.of("redrive-dlq.sh", "--stage", "dev", "--queue", name), Map.of(), Set.of());

            assertThat(run.exit()).as("%s: %s", name, run).isEqualTo(1);
            assertThat(run.errLines()).singleElement().asString()
                    .startsWith("error: stack intercom-contact-functions-dev has no output ");
        }
        for (String other : List.of("AuditFailureQueueUrl", "LeadCaptureDeferralDeadLetterQueueUrl",
                "https://sqs.eu-west-1.amazonaws.com/123456789012/q", "lead-capture")) {
            ScriptRun run = run(List.of("redrive-dlq.sh", "--stage", "dev", "--queue", other), Map.of(), Set.of());

            assertThat(run.exit()).as("%s: %s", other, run).isEqualTo(2);
            assertThat(run.errLines()).containsExactly("error: unknown queue " + other + ": one of audit-schedule,"
                    + " audit-failure, lead-capture-deferral, identify-merge-deferral (see --help)");
        }
        Set<String> documented = new LinkedHashSet<>();
        for (Path page : List.of(Path.of("infra", "README.md"), Path.of("docs", "operations.md"),
                Path.of("docs", "reliability.md"))) {
            Matcher m = Pattern.compile("redrive-dlq\\.sh[^`\n]*?--queue ([^\\s`]+)").matcher(Files.readString(page));
            while (m.find()) {
                documented.add(m.group(1));
            }
        }
        assertThat(documented).as("the queue names the pages use").isNotEmpty().isSubsetOf(names);
    }

    // ---------------------------------------------------------------- running a script

    @TempDir
    Path work;

    record ScriptRun(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    /**
     * Runs {@code infra/scripts/<command>} from the repository root, with a PATH of its own: the machine's tools but
     * {@code hidden}, and stubs for {@code aws} and {@code sam} that fail without a word to AWS.
     */
    private ScriptRun run(List<String> command, Map<String, String> environment, Set<String> hidden) {
        try {
            Path bin = toolbox(hidden);
            List<String> line = new ArrayList<>(List.of("bash", SCRIPTS.resolve(command.get(0)).toString()));
            line.addAll(command.subList(1, command.size()));
            Path out = Files.createTempFile(work, "out", ".txt");
            Path err = Files.createTempFile(work, "err", ".txt");
            ProcessBuilder builder = new ProcessBuilder(line).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().put("PATH", bin.toString());
            builder.environment().remove("WEBHOOK_SIGNING_SECRET");
            builder.environment().remove("IDENTIFY_SIGNING_SECRET");
            builder.environment().remove("LOCAL_RUN_URL");
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within 30 s (stopped)");
            }
            return new ScriptRun(process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One PATH directory per set of hidden tools, deleted after the class (links only: nothing they point to). */
    private static final Map<Set<String>, Path> TOOLBOXES = new java.util.concurrent.ConcurrentHashMap<>();

    @org.junit.jupiter.api.AfterAll
    static void deleteToolboxes() throws IOException {
        for (Path bin : TOOLBOXES.values()) {
            try (Stream<Path> files = Files.walk(bin)) {
                for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    private static Path toolbox(Set<String> hidden) throws IOException {
        Path existing = TOOLBOXES.get(hidden);
        if (existing != null) {
            return existing;
        }
        Path bin = Files.createTempDirectory("infra-scripts-path");
        TOOLBOXES.put(hidden, bin);
        for (String stub : List.of("aws", "sam")) {
            if (!hidden.contains(stub)) {
                Path file = Files.writeString(bin.resolve(stub), "#!/bin/sh\necho \"" + stub + " (test stub) $*\" >&2\nexit 97\n");
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
            Path path = Path.of(dir);
            if (!Files.isDirectory(path)) {
                continue;
            }
            try (Stream<Path> tools = Files.list(path)) {
                for (Path tool : tools.toList()) {
                    String name = tool.getFileName().toString();
                    Path link = bin.resolve(name);
                    if (!hidden.contains(name) && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                            && Files.isExecutable(tool)) {
                        Files.createSymbolicLink(link, tool);
                    }
                }
            }
        }
        return bin;
    }

    /** A local URL where nothing listens. */
    private static String unusedUrl() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    private static List<Path> scripts() throws IOException {
        try (Stream<Path> files = Files.list(SCRIPTS)) {
            return files.filter(f -> f.toString().endsWith(".sh")).sorted().toList();
        }
    }
}
