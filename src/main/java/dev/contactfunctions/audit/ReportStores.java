package dev.contactfunctions.audit;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import org.jboss.logging.Logger;

import software.amazon.awssdk.services.s3.S3Client;

import dev.contactfunctions.invocation.AwsClients;

/** Picks the report store: S3 when a bucket is configured ({@code AUDIT_REPORT_BUCKET}), else the local folder. */
class ReportStores {

    private static final Logger LOG = Logger.getLogger(ReportStores.class);

    @Produces
    @ApplicationScoped
    ReportStore reportStore(AuditConfig config) {
        ReportStore store = config.reportBucket().filter(bucket -> !bucket.isBlank())
                .<ReportStore>map(bucket -> new S3ReportStore(
                        AwsClients.build(S3Client.builder(), Optional.empty()),
                        bucket, config.reportPrefix()))
                .orElseGet(() -> new LocalReportStore(config.reportDir()));
        LOG.infof("segment-audit reports go to %s", store.location());
        return store;
    }

    void close(@Disposes ReportStore store) {
        store.close();
    }
}
