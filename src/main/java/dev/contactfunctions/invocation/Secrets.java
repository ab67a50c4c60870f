package dev.contactfunctions.invocation;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Reads secrets from AWS Secrets Manager and keeps each for a time-to-live ({@code secrets.ttl}, default 5 minutes),
 * as AWS's Parameters and Secrets Lambda extension does: the first use after it expires reads the secret again, so
 * a rotated token or signing secret reaches every warm instance within the TTL, without a deploy.
 *
 * <p>When a re-read fails (Secrets Manager unreachable, throttled, access denied), the last value read keeps being
 * served, with a warning {@code secret_read_failed}, and the read is tried again on a use
 * {@value #RETRY_AFTER_FAILURE_SECONDS} seconds later (not by every request), until that value is
 * {@code secrets.max-stale} old (default 1 hour); from then on the failure is the caller's, as a first read's always
 * is. Refusing every webhook because Secrets Manager failed once would be worse than using a value that was current
 * minutes ago; the bound keeps a secret withdrawn from a function (its access revoked) from living on for long.
 *
 * <p>Nothing is read before a SnapStart snapshot (the callers read on first use, or after the restore), so a restored
 * instance starts with no value and reads each secret afresh. The SDK client uses the JDK's HTTP stack (fine in a
 * native image) and is created when a secret is first asked for, so local runs need no AWS account.
 */
@ApplicationScoped
public class Secrets {

    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
    public static final Duration DEFAULT_MAX_STALE = Duration.ofHours(1);
    static final long RETRY_AFTER_FAILURE_SECONDS = 30;

    private static final Logger LOG = Logger.getLogger(Secrets.class);

    /** A value read at {@code readAt}, served until {@code readAgainAt}. */
    private record Entry(String value, Instant readAt, Instant readAgainAt) {
    }

    private final Optional<URI> endpoint;
    private final Duration ttl;
    private final Duration maxStale;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private volatile SecretsManagerClient client;

    @Inject
    public Secrets(@ConfigProperty(name = "secrets.endpoint") Optional<URI> endpoint,
            @ConfigProperty(name = "secrets.ttl", defaultValue = "5m") Duration ttl,
            @ConfigProperty(name = "secrets.max-stale", defaultValue = "1h") Duration maxStale, Clock clock) {
        if (ttl.isNegative() || maxStale.isNegative()) {
            throw new IllegalArgumentException("secrets.ttl and secrets.max-stale cannot be negative");
        }
        this.endpoint = endpoint;
        this.ttl = ttl;
        this.maxStale = maxStale;
        this.clock = clock;
    }

    /** Secrets Manager itself with the default TTL (instances built by hand; tests that override {@link #read}). */
    public Secrets() {
        this(Optional.empty(), DEFAULT_TTL, DEFAULT_MAX_STALE, Clock.systemUTC());
    }

    /**
     * The secret's value: read from Secrets Manager on first use and again on the first use after the TTL.
     *
     * @throws SdkException when it cannot be read and no value read within {@code secrets.max-stale} is at hand
     */
    public String read(String secretArn) {
        Entry entry = entries.get(secretArn);
        if (entry != null && clock.instant().isBefore(entry.readAgainAt())) {
            return entry.value();
        }
        // one read per secret at a time: the requests that find it expired together wait for that read
        synchronized (locks.computeIfAbsent(secretArn, arn -> new Object())) {
            entry = entries.get(secretArn);
            Instant now = clock.instant();
            if (entry != null && now.isBefore(entry.readAgainAt())) {
                return entry.value();
            }
            try {
                String value = client().getSecretValue(r -> r.secretId(secretArn)).secretString();
                entries.put(secretArn, new Entry(value, now, now.plus(ttl)));
                return value;
            } catch (SdkException e) {
                Duration age = entry == null ? null : Duration.between(entry.readAt(), now);
                if (age == null || age.compareTo(maxStale) >= 0) {
                    throw e;
                }
                Instant retryAt = now.plus(min(ttl, Duration.ofSeconds(RETRY_AFTER_FAILURE_SECONDS)));
                entries.put(secretArn, new Entry(entry.value(), entry.readAt(), retryAt));
                LOG.warnf("secret_read_failed secret=%s reason=\"%s\" serving=the value read %d s ago (at most %d s)"
                        + " retry_in_s=%d", secretArn, e.getMessage(), age.toSeconds(), maxStale.toSeconds(),
                        Duration.between(now, retryAt).toSeconds());
                return entry.value();
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private SecretsManagerClient client() {
        if (client == null) {
            synchronized (this) {
                if (client == null) {
                    client = AwsClients.build(SecretsManagerClient.builder(), endpoint);
                }
            }
        }
        return client;
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close();
        }
    }
}
