package dev.contactfunctions.audit;

import java.util.Optional;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Reports and checkpoints in S3 ({@code AUDIT_REPORT_BUCKET}), under a key prefix. */
public class S3ReportStore implements ReportStore {

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    public S3ReportStore(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        String p = prefix == null ? "" : prefix;
        this.prefix = p.isEmpty() || p.endsWith("/") ? p : p + "/";
    }

    @Override
    public Optional<String> read(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(r -> r.bucket(bucket).key(prefix + key)).asUtf8String());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 403) {
                // without s3:ListBucket, S3 answers 403 instead of 404 for a key that does not exist
                throw new IllegalStateException("S3 refused to read s3://" + bucket + "/" + prefix + key
                        + " (403): the function needs s3:GetObject on the reports and s3:ListBucket on the bucket", e);
            }
            throw e;
        }
    }

    @Override
    public String write(String key, String content, String contentType) {
        s3.putObject(r -> r.bucket(bucket).key(prefix + key).contentType(contentType), RequestBody.fromString(content));
        return "s3://" + bucket + "/" + prefix + key;
    }

    @Override
    public void delete(String key) {
        s3.deleteObject(r -> r.bucket(bucket).key(prefix + key));
    }

    @Override
    public void close() {
        s3.close();
    }

    @Override
    public String location() {
        return "s3://" + bucket + "/" + prefix;
    }
}
