package dev.contactfunctions.audit;

import java.util.Optional;

/**
 * Where reports and checkpoints live: S3 when {@code AUDIT_REPORT_BUCKET} is set, a local folder otherwise. Keys are
 * relative paths ({@code latest/audit-report.json}).
 */
public interface ReportStore extends AutoCloseable {

    Optional<String> read(String key);

    /** Writes (replaces) the object and answers where it is, as a URI ({@code s3://...} or {@code file:...}). */
    String write(String key, String content, String contentType);

    void delete(String key);

    /** The store's root, for logs and the README ({@code s3://bucket/prefix/} or the folder's URI). */
    String location();

    /** Releases the store's client, if it has one. */
    @Override
    default void close() {
    }
}
