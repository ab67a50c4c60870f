package dev.contactfunctions.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.contactfunctions.invocation.JsonMapping;

/** The JSON of reports, checkpoints and options: the functions' one configuration, written with map keys sorted. */
final class AuditJson {

    static final ObjectMapper MAPPER = JsonMapping.mapper();
    /** Map keys sorted: a report, a checkpoint or the options' fingerprint is the same for the same content. */
    static final ObjectWriter WRITER = MAPPER.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private AuditJson() {
    }
}
