package dev.contactfunctions.snapstart;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.literal.NamedLiteral;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.contactfunctions.intercom.IntercomCredentials;
import dev.contactfunctions.intercom.model.Contact;
import dev.contactfunctions.intercom.model.ContactPage;
import dev.contactfunctions.intercom.model.DataAttributeList;
import dev.contactfunctions.intercom.model.SegmentList;
import dev.contactfunctions.intercom.model.TagList;
import dev.contactfunctions.invocation.LambdaInitialization;
import io.quarkus.arc.ClientProxy;
import io.quarkus.runtime.StartupEvent;

/**
 * Lambda SnapStart's runtime hooks for the JVM variant. Lambda initializes a published version once, snapshots it and
 * restores every new instance from that snapshot; Quarkus boots before the snapshot
 * ({@code quarkus.snapstart.full-warmup}). Before the snapshot ({@link #beforeCheckpoint}) this warms what a first
 * invocation would otherwise pay for: the Intercom REST client (built, never called), Jackson's readers and writers
 * of the Intercom models, and the function's own handler, run on a request it refuses before any call (a GET to a
 * webhook function, an unknown option to the audit). Nothing is read from Intercom or AWS before the snapshot: what
 * was taken then would be shared by every restored copy (the token, connections). After a restore
 * ({@link #afterRestore}) the Intercom token is read, with the restored instance's own AWS credentials.
 */
@ApplicationScoped
public class SnapStartPriming implements Resource {

    private static final Logger LOG = Logger.getLogger(SnapStartPriming.class);

    /** A webhook request every webhook handler refuses (405) before it verifies a signature or calls anyone. */
    static final String REFUSED_WEBHOOK = """
            {"version":"2.0","routeKey":"$default","rawPath":"/webhooks/identify",
             "headers":{"content-type":"application/json"},
             "requestContext":{"requestId":"snapstart-priming","http":{"method":"GET","path":"/webhooks/identify"}},
             "body":"{}","isBase64Encoded":false}""";
    /** A schedule event the audit refuses (an unknown option) before it calls anyone. */
    static final String REFUSED_SCHEDULE = """
            {"version":"0","id":"snapstart-priming","detail-type":"Scheduled Event","source":"aws.scheduler",
             "time":"2026-01-01T00:00:00Z","resources":[],"detail":{"snapstart-priming":true}}""";
    /** Intercom's shapes, as the REST client reads and writes them. */
    private static final String CONTACT = """
            {"type":"contact","id":"priming","role":"lead","email":"priming@example.invalid","custom_attributes":{},
             "tags":{"type":"list","data":[]}}""";

    private final LambdaInitialization initialization;
    private final Optional<String> handlerName;
    private final Instance<Object> beans;
    private final IntercomCredentials credentials;
    private final ObjectMapper json;

    SnapStartPriming(
            LambdaInitialization initialization, @ConfigProperty(name = "quarkus.lambda.handler") Optional<String> handlerName,
            @Any Instance<Object> beans, IntercomCredentials credentials,
            ObjectMapper json) {
        this.initialization = initialization;
        this.handlerName = handlerName;
        this.beans = beans;
        this.credentials = credentials;
        this.json = json;
    }

    void registerAtStart(@Observes StartupEvent start) {
        if (initialization.forSnapshot()) {
            Core.getGlobalContext().register(this);
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        long started = System.nanoTime();
        // the Intercom REST client (the only @RestClient bean) is built on first use: build it now, call nothing
        beans.select(RestClient.LITERAL).forEach(ClientProxy::unwrap);
        warmJackson();
        handlerName.ifPresent(this::warmHandler);
        LOG.infof("snapstart: primed the REST client, Jackson and handler %s in %d ms", handlerName.orElse("-"),
                (System.nanoTime() - started) / 1_000_000);
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        credentials.readSecretNow();
    }

    private void warmJackson() {
        try {
            Contact contact = json.readValue(CONTACT, Contact.class);
            json.writeValueAsString(contact);
            json.readValue("{\"type\":\"list\",\"data\":[" + CONTACT + "],\"total_count\":1}", ContactPage.class);
            json.readValue("{\"type\":\"list\",\"data\":[]}", DataAttributeList.class);
            json.readValue("{\"type\":\"list\",\"data\":[]}", TagList.class);
            json.readValue("{\"type\":\"list\",\"data\":[]}", SegmentList.class);
        } catch (IOException e) {
            throw new UncheckedIOException("priming: Jackson could not read Intercom's shapes", e);
        }
    }

    @SuppressWarnings("unchecked")
    private void warmHandler(String name) {
        Instance<Object> named = beans.select(NamedLiteral.of(name));
        if (!named.isResolvable()) {
            return;
        }
        Object handler = ClientProxy.unwrap(named.get());
        PrimingContext context = new PrimingContext(name);
        try {
            if (handler instanceof RequestStreamHandler stream) {
                ByteArrayOutputStream answer = new ByteArrayOutputStream();
                stream.handleRequest(new ByteArrayInputStream(REFUSED_WEBHOOK.getBytes(StandardCharsets.UTF_8)), answer,
                        context);
            } else if (handler instanceof RequestHandler<?, ?> typed) {
                ScheduledEvent event = json.readValue(REFUSED_SCHEDULE, ScheduledEvent.class);
                ((RequestHandler<ScheduledEvent, ?>) typed).handleRequest(event, context);
            }
        } catch (IOException | RuntimeException expected) {
            // the priming request is one the handler refuses: its error path is warmed too
            LOG.debugf("snapstart: priming request refused by %s: %s", name, expected.getMessage());
        }
    }
}
