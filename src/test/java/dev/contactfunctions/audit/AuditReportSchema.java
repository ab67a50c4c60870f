package dev.contactfunctions.audit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/** docs/audit-report.schema.json, loaded once, for the tests that validate reports. */
final class AuditReportSchema {

    static final Path FILE = Path.of("docs/audit-report.schema.json");
    private static final JsonSchema SCHEMA = load();

    private AuditReportSchema() {
    }

    static Set<ValidationMessage> validate(JsonNode report) {
        return SCHEMA.validate(report);
    }

    private static JsonSchema load() {
        try (InputStream in = Files.newInputStream(FILE)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
