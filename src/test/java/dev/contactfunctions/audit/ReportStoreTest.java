package dev.contactfunctions.audit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToIgnoreCase;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.WireMockServer;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

class ReportStoreTest {

    @TempDir
    Path dir;
    WireMockServer s3;

    @BeforeEach
    void startS3() {
        s3 = new WireMockServer(wireMockConfig().dynamicPort());
        s3.start();
    }

    @AfterEach
    void stopS3() {
        s3.stop();
    }

    S3ReportStore s3Store(String prefix) {
        S3Client client = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(URI.create(s3.baseUrl()))
                .forcePathStyle(true)
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .build();
        return new S3ReportStore(client, "audit-bucket", prefix);
    }

    @Test
    void theLocalStoreWritesReadsAndDeletesUnderItsFolder() throws Exception {
        LocalReportStore store = new LocalReportStore(dir.resolve("reports"));

        String location = store.write("latest/audit-report.json", "{\"a\":1}", "application/json");
        store.write("latest/audit-report.json", "{\"a\":2}", "application/json");

        assertThat(location).isEqualTo(dir.resolve("reports/latest/audit-report.json").toUri().toString());
        assertThat(store.read("latest/audit-report.json")).contains("{\"a\":2}");
        assertThat(Files.list(dir.resolve("reports/latest"))).hasSize(1);
        store.delete("latest/audit-report.json");
        assertThat(store.read("latest/audit-report.json")).isEmpty();
        store.delete("latest/audit-report.json");
        assertThat(store.location()).isEqualTo(dir.resolve("reports").toUri().toString());
    }

    @Test
    void theLocalStoreRefusesKeysOutsideItsFolder() {
        LocalReportStore store = new LocalReportStore(dir.resolve("reports"));

        assertThatThrownBy(() -> store.write("../escape.json", "{}", "application/json"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("report key outside the report folder: ../escape.json");
    }

    @Test
    void theS3StorePutsUnderItsPrefixWithTheContentType() {
        s3.stubFor(put(urlEqualTo("/audit-bucket/segment-audit/latest/audit-report.html")).willReturn(aResponse().withStatus(200)));

        String location = s3Store("segment-audit").write("latest/audit-report.html", "<p>report</p>", "text/html; charset=utf-8");

        assertThat(location).isEqualTo("s3://audit-bucket/segment-audit/latest/audit-report.html");
        s3.verify(putRequestedFor(urlEqualTo("/audit-bucket/segment-audit/latest/audit-report.html"))
                .withHeader("Content-Type", equalToIgnoreCase("text/html; charset=utf-8"))
                .withHeader("Authorization", containing("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"))
                .withRequestBody(containing("<p>report</p>")));
    }

    @Test
    void theS3StoreReadsAnObjectAndAnswersEmptyForAMissingKey() {
        s3.stubFor(get(urlEqualTo("/audit-bucket/p/latest/audit-report.json"))
                .willReturn(aResponse().withStatus(200).withBody("{\"schemaVersion\":1}")));
        s3.stubFor(get(urlEqualTo("/audit-bucket/p/checkpoint/audit-checkpoint.json")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/xml")
                .withBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code>"
                        + "<Message>The specified key does not exist.</Message></Error>")));

        S3ReportStore store = s3Store("p/");

        assertThat(store.read("latest/audit-report.json")).contains("{\"schemaVersion\":1}");
        assertThat(store.read("checkpoint/audit-checkpoint.json")).isEmpty();
        assertThat(store.location()).isEqualTo("s3://audit-bucket/p/");
    }

    @Test
    void theS3StoreExplainsA403OnReadInsteadOfTakingItForAMissingReport() {
        s3.stubFor(get(urlEqualTo("/audit-bucket/latest/audit-report.json")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/xml")
                .withBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code>"
                        + "<Message>Access Denied</Message></Error>")));

        assertThatThrownBy(() -> s3Store("").read("latest/audit-report.json"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("S3 refused to read s3://audit-bucket/latest/audit-report.json (403): the function needs"
                        + " s3:GetObject on the reports and s3:ListBucket on the bucket");
    }

    @Test
    void theS3StoreDeletesTheCheckpoint() {
        s3.stubFor(delete(urlEqualTo("/audit-bucket/checkpoint/audit-checkpoint.json")).willReturn(aResponse().withStatus(204)));

        s3Store("").delete("checkpoint/audit-checkpoint.json");

        s3.verify(deleteRequestedFor(urlEqualTo("/audit-bucket/checkpoint/audit-checkpoint.json")));
    }
}
