package dev.contactfunctions.intercom;

import java.util.regex.Pattern;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;

import org.jboss.logging.Logger;

import io.quarkus.arc.Arc;

/**
 * Logs one line per call at debug level (method, path template, status, duration, Intercom request id) and feeds
 * the rate-limit headers to the {@link RateLimitPacer}. Paths are logged as templates, so no id, external id or
 * email appears; the token is never logged.
 */
public class IntercomCallObserver implements ClientRequestFilter, ClientResponseFilter {

    private static final Logger LOG = Logger.getLogger("dev.contactfunctions.intercom.calls");
    private static final String STARTED = IntercomCallObserver.class.getName() + ".started";
    private static final String GONE_WHEN_SENT = IntercomCallObserver.class.getName() + ".gone";
    private static final Pattern EXTERNAL_ID = Pattern.compile("(/contacts/find_by_external_id/)[^/]+");
    private static final Pattern CONTACT_ID = Pattern.compile("(/contacts/)(?!search$|merge$|find_by_external_id/)[^/]+");
    private static final Pattern TAG_ID = Pattern.compile("(/tags/)[^/]+$");
    private static final Pattern DATA_ATTRIBUTE_ID = Pattern.compile("(/data_attributes/)[^/]+$");

    private volatile RateLimitPacer pacer;

    @Override
    public void filter(ClientRequestContext request) {
        request.setProperty(STARTED, System.nanoTime());
        request.setProperty(GONE_WHEN_SENT, pacer().callsGone());
    }

    /** The application's pacer, looked up once: both filters run on every call. */
    private RateLimitPacer pacer() {
        RateLimitPacer found = pacer;
        if (found == null) {
            found = Arc.container().instance(RateLimitPacer.class).get();
            pacer = found;
        }
        return found;
    }

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) {
        // the REST client also runs this filter when no answer came (connection reset, timeout): then there are no
        // headers to read, and the failure itself is mapped by IntercomClient
        boolean answered = response.getHeaders() != null;
        if (answered) {
            RateLimitPacer pacer = pacer();
            String limit = response.getHeaderString("X-RateLimit-Limit");
            String remaining = response.getHeaderString("X-RateLimit-Remaining");
            String reset = response.getHeaderString("X-RateLimit-Reset");
            if (request.getProperty(GONE_WHEN_SENT) instanceof Long goneWhenSent) {
                pacer.observe(limit, remaining, reset, goneWhenSent);
            } else {
                pacer.observe(limit, remaining, reset);
            }
            if (response.getStatus() == 429) {
                pacer.rejected();
            }
        }
        if (LOG.isDebugEnabled()) {
            Object started = request.getProperty(STARTED);
            long millis = started instanceof Long s ? (System.nanoTime() - s) / 1_000_000 : -1;
            LOG.debugf("intercom_call method=%s path=%s status=%s duration_ms=%d request_id=%s",
                    request.getMethod(), pathTemplate(request.getUri().getRawPath()),
                    answered ? String.valueOf(response.getStatus()) : "none", millis,
                    answered ? response.getHeaderString("X-Request-Id") : null);
        }
    }

    static String pathTemplate(String path) {
        String template = EXTERNAL_ID.matcher(path).replaceAll("$1{external_id}");
        template = CONTACT_ID.matcher(template).replaceAll("$1{id}");
        template = TAG_ID.matcher(template).replaceAll("$1{tag_id}");
        return DATA_ATTRIBUTE_ID.matcher(template).replaceAll("$1{id}");
    }
}
