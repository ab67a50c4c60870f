package dev.contactfunctions.intercom;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IntercomCallObserverTest {

    @ParameterizedTest
    @CsvSource({
            "/contacts, /contacts",
            "/contacts/search, /contacts/search",
            "/contacts/merge, /contacts/merge",
            "/contacts/6329bd9ffe4e2e91dac76188, /contacts/{id}",
            "/contacts/6329bd9ffe4e2e91dac76188/archive, /contacts/{id}/archive",
            "/contacts/6329bd9ffe4e2e91dac76188/segments, /contacts/{id}/segments",
            "/contacts/6329bd9ffe4e2e91dac76188/tags, /contacts/{id}/tags",
            "/contacts/6329bd9ffe4e2e91dac76188/tags/81, /contacts/{id}/tags/{tag_id}",
            "/contacts/find_by_external_id/jane%40example.com, /contacts/find_by_external_id/{external_id}",
            "/contacts/find_by_external_id/a%2Fb, /contacts/find_by_external_id/{external_id}",
            "/tags, /tags",
            "/segments, /segments",
            "/data_attributes, /data_attributes"
    })
    void logsPathsAsTemplatesWithoutIds(String path, String template) {
        assertThat(IntercomCallObserver.pathTemplate(path)).isEqualTo(template);
    }
}
