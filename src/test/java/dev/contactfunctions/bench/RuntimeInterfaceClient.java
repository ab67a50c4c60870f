package dev.contactfunctions.bench;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * AWS's Java runtime interface client ({@code com.amazonaws:aws-lambda-java-runtime-interface-client}, a test
 * dependency), what the managed {@code java21} runtime runs: its class path is the client's jars alone, taken from
 * the test class path, never the function's.
 */
final class RuntimeInterfaceClient {

    static final String MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

    /** A class of each jar the client needs: itself, the Lambda core interfaces, its serialization, the SDK's utils. */
    private static final List<String> JARS_OF = List.of(MAIN, "com.amazonaws.services.lambda.runtime.Context",
            "com.amazonaws.services.lambda.runtime.serialization.PojoSerializer",
            "software.amazon.awssdk.utilslite.SdkInternalThreadLocal");

    private RuntimeInterfaceClient() {
    }

    static String classPath() {
        return JARS_OF.stream().map(RuntimeInterfaceClient::jarOf).distinct().collect(Collectors.joining(File.pathSeparator));
    }

    private static String jarOf(String className) {
        try {
            Class<?> type = Class.forName(className, false, RuntimeInterfaceClient.class.getClassLoader());
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (ClassNotFoundException | URISyntaxException e) {
            throw new IllegalStateException("the runtime interface client needs " + className
                    + " on the test class path (com.amazonaws:aws-lambda-java-runtime-interface-client)", e);
        }
    }
}
