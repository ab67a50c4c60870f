package dev.contactfunctions.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import dev.contactfunctions.testsupport.TestLambdaContext;

/**
 * Stands in, inside a forked function JVM, for the runtime client of AWS's managed Java runtime: it loads the handler
 * class template.yaml names for the JVM variant ({@code QuarkusStreamHandler}, whose class initialization boots
 * Quarkus, as in Lambda's init phase), then polls the Runtime API at {@code AWS_LAMBDA_RUNTIME_API} and passes each
 * event to it. (Quarkus's own poll loop runs in native builds only.) It depends on the JDK, the Lambda core
 * interfaces and {@link TestLambdaContext} alone, so that the benchmark can put it beside the packaged application
 * without the test classes.
 */
public final class LambdaJvmBootstrap {

    static final String HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler";
    private static final String BASE = "/2018-06-01/runtime/invocation/";

    private LambdaJvmBootstrap() {
    }

    public static void main(String[] args) throws Exception {
        String api = "http://" + System.getenv("AWS_LAMBDA_RUNTIME_API");
        RequestStreamHandler handler = (RequestStreamHandler) Class.forName(HANDLER).getDeclaredConstructor()
                .newInstance();
        while (true) {
            HttpURLConnection next = (HttpURLConnection) new URL(api + BASE + "next").openConnection();
            next.setReadTimeout(0);
            byte[] event;
            try (InputStream in = next.getInputStream()) {
                event = in.readAllBytes();
            }
            String id = next.getHeaderField("Lambda-Runtime-Aws-Request-Id");
            long deadline = Long.parseLong(next.getHeaderField("Lambda-Runtime-Deadline-Ms"));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                handler.handleRequest(new ByteArrayInputStream(event), out, TestLambdaContext.untilDeadline(id, System.getenv("AWS_LAMBDA_FUNCTION_NAME"), deadline));
                post(api + BASE + id + "/response", out.toByteArray());
            } catch (Exception | Error e) {
                String error = "{\"errorType\":\"" + e.getClass().getName() + "\",\"errorMessage\":\""
                        + String.valueOf(e.getMessage()).replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
                post(api + BASE + id + "/error", error.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static void post(String url, byte[] body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body);
        }
        connection.getInputStream().close();
    }
}
