package dev.contactfunctions.invocation;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.joda.JodaModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * The functions' one JSON configuration. It customises Quarkus's {@code ObjectMapper} bean (which the Intercom REST
 * client, the Lambda runtime and every injected mapper use), and {@link #mapper()} is a mapper configured the same
 * way for code without injection: records, static helpers, and tests that run without Quarkus. It states what the
 * code relies on, which are also Quarkus's defaults: unknown properties ignored, {@code java.time} values and
 * {@code Optional}s as their values, dates as ISO-8601 text. A use that needs more asks for it where it reads or
 * writes ({@code mapper().reader().with(...)}, {@code mapper().writer().with(...)}).
 */
@Singleton
public class JsonMapping implements ObjectMapperCustomizer {

    private static final ObjectMapper MAPPER = configure(new ObjectMapper());
    private static final ObjectMapper LAMBDA_EVENTS = MAPPER.copy()
            .configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES, true).registerModule(new JodaModule());

    @Override
    public void customize(ObjectMapper mapper) {
        configure(mapper);
    }

    /** The mapper of code that cannot inject Quarkus's; configured alike. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * The mapper of AWS's event classes ({@link LambdaEventTypes}), for the handlers that read their events
     * themselves: as the Lambda runtime reads them for a typed handler, property names in any case ({@code Records},
     * {@code isBase64Encoded}) and Joda times ({@code ScheduledEvent}).
     */
    public static ObjectMapper lambdaEvents() {
        return LAMBDA_EVENTS;
    }

    private static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.registerModule(new Jdk8Module()).registerModule(new JavaTimeModule())
                .registerModule(new ParameterNamesModule())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }
}
