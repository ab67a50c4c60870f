package dev.contactfunctions.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Assumptions;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * Checks requests sent to Intercom against the official OpenAPI description (2.14), which lives outside the
 * repository at {@code ../shared/intercom/api.intercom.io.yaml}; skipped with a message where it is absent.
 */
final class IntercomOpenApi {

    static final Path SPEC = Path.of("..", "shared", "intercom", "api.intercom.io.yaml");
    private static OpenApiInteractionValidator validator;

    private IntercomOpenApi() {
    }

    /** Every request WireMock received is valid against the spec. */
    static void assertValid(List<ServeEvent> served) {
        OpenApiInteractionValidator spec = validator();
        for (ServeEvent event : served) {
            LoggedRequest logged = event.getRequest();
            SimpleRequest.Builder request = new SimpleRequest.Builder(Request.Method.valueOf(logged.getMethod().getName()),
                    logged.getUrl().split("\\?", 2)[0]);
            logged.getQueryParams().forEach((name, values) -> request.withQueryParam(name, values.values()));
            // the validator reads header values that look like numbers as numbers, so Intercom-Version: 2.14 would
            // fail its own enum; the client's headers are checked by the client's tests
            for (String header : List.of("Content-Type", "Authorization", "Accept")) {
                if (logged.containsHeader(header)) {
                    request.withHeader(header, logged.getHeader(header));
                }
            }
            if (logged.getBody() != null && logged.getBody().length > 0) {
                request.withBody(logged.getBodyAsString());
            }
            ValidationReport report = spec.validateRequest(request.build());
            assertThat(report.getMessages())
                    .as("%s %s %s is valid against the Intercom 2.14 OpenAPI description", logged.getMethod(),
                            logged.getUrl(), logged.getBodyAsString())
                    .isEmpty();
        }
    }

    private static synchronized OpenApiInteractionValidator validator() {
        Assumptions.assumeTrue(Files.exists(SPEC),
                "Intercom's OpenAPI description is not at " + SPEC.toAbsolutePath() + ": request validation skipped");
        if (validator == null) {
            try {
                ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
                ObjectNode spec = (ObjectNode) yaml.readTree(SPEC.toFile());
                // `value` has `nullable: true` without a `type`, which makes the validator skip search bodies
                ((ObjectNode) spec.at("/components/schemas/single_filter_search_request/properties/value"))
                        .remove("nullable");
                // parse ourselves: the loader refuses the whole description for warnings about unrelated operations
                ParseOptions options = new ParseOptions();
                options.setResolve(true);
                OpenAPI api = new OpenAPIV3Parser()
                        .readContents(new ObjectMapper().writeValueAsString(spec), null, options).getOpenAPI();
                validator = OpenApiInteractionValidator.createFor(api).build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return validator;
    }
}
