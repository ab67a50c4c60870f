package dev.contactfunctions.invocation;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.joda.JodaModule;

import io.quarkus.amazon.lambda.runtime.AmazonLambdaMapperRecorder;

/** The ObjectMapper Quarkus reads and writes typed Lambda events with, for handlers that read their events themselves. */
public final class LambdaJson {

    private static final ObjectMapper FALLBACK = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES, true).registerModule(new JodaModule());

    private LambdaJson() {
    }

    /** Quarkus's Lambda mapper once the extension has set it up; an equivalent one otherwise. */
    public static ObjectMapper mapper() {
        ObjectMapper quarkus = AmazonLambdaMapperRecorder.objectMapper;
        return quarkus != null ? quarkus : FALLBACK;
    }
}
