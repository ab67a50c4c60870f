package dev.contactfunctions.sandbox.local;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Which function an AWS event is for, by its shape, as API Gateway, EventBridge and SQS would deliver it: HTTP API
 * (payload 2.0) events by path, EventBridge Scheduler events ({@code detail-type "Scheduled Event"}) to the audit,
 * batches of a deferral queue ({@code Records} from {@code aws:sqs}) by the route their deliveries name. The local
 * run needs no SQS event for itself (its in-memory queue is drained in process); this lets a saved batch be replayed.
 */
public final class LocalEventRoutes {

    /** HTTP API route path to handler name, as in template.yaml. */
    public static final Map<String, String> HTTP_ROUTES = httpRoutes();
    public static final String SCHEDULE_HANDLER = "segment-audit";
    /** Route of a deferred delivery (its body's {@code route}) to the handler that consumes it, as in template.yaml. */
    public static final Map<String, String> QUEUE_ROUTES = Map.of("lead-capture", "lead-capture",
            "identify", "identify-merge", "intercom-notification", "identify-merge");

    private static final ObjectMapper JSON = new ObjectMapper();

    private LocalEventRoutes() {
    }

    private static Map<String, String> httpRoutes() {
        Map<String, String> routes = new LinkedHashMap<>();
        routes.put("/webhooks/leads/typeform", "lead-capture");
        routes.put("/webhooks/leads/tally", "lead-capture");
        routes.put("/webhooks/leads/webflow", "lead-capture");
        routes.put("/webhooks/leads", "lead-capture");
        routes.put("/webhooks/identify", "identify-merge");
        routes.put("/webhooks/intercom", "identify-merge");
        return Map.copyOf(routes);
    }

    /** The name of the handler for this event, with a description of the event for messages. */
    public record Route(String handler, String event) {
    }

    public static Route route(JsonNode event) {
        if (event == null || !event.isObject()) {
            throw new UnroutableEventException("The local router takes a JSON object event, got: " + abbreviate(event));
        }
        if (event.has("rawPath") || event.has("routeKey")) {
            String path = httpPath(event);
            for (Map.Entry<String, String> route : HTTP_ROUTES.entrySet()) {
                // a named stage prefixes rawPath ("/prod/webhooks/leads"); $default does not
                if (path.equals(route.getKey()) || path.endsWith(route.getKey())) {
                    return new Route(route.getValue(), method(event) + " " + path);
                }
            }
            throw new UnroutableEventException("No function serves " + method(event) + " " + path
                    + " locally; the HTTP routes are " + HTTP_ROUTES.keySet());
        }
        if (event.path("Records").path(0).path("eventSource").asText().equals("aws:sqs")) {
            return queueRoute(event);
        }
        if ("Scheduled Event".equals(event.path("detail-type").asText())) {
            String source = event.path("source").asText();
            if (source.equals("aws.scheduler") || source.equals("aws.events")) {
                return new Route(SCHEDULE_HANDLER, "scheduled event from " + source);
            }
        }
        if (event.has("httpMethod") && event.has("path")) {
            throw new UnroutableEventException("This looks like a REST API (payload 1.0) event; the functions are"
                    + " behind an HTTP API: send a payload 2.0 event (version, routeKey, rawPath, requestContext.http)");
        }
        throw new UnroutableEventException("Cannot tell which function this event is for: send an API Gateway HTTP"
                + " API payload 2.0 event (rawPath one of " + HTTP_ROUTES.keySet() + ") or an EventBridge Scheduler"
                + " event (\"detail-type\": \"Scheduled Event\", \"source\": \"aws.scheduler\"); see infra/events/");
    }

    /** A batch goes to the function its first delivery names: each function consumes a queue of its own. */
    private static Route queueRoute(JsonNode event) {
        String route;
        try {
            route = JSON.readTree(event.path("Records").path(0).path("body").asText("")).path("route").asText("");
        } catch (IOException e) {
            route = "";
        }
        String handler = QUEUE_ROUTES.get(route);
        if (handler == null) {
            throw new UnroutableEventException("This SQS batch's first message names no known delivery route (\""
                    + route + "\"); the routes are " + QUEUE_ROUTES.keySet());
        }
        return new Route(handler, "SQS batch of route " + route);
    }

    private static String httpPath(JsonNode event) {
        if (event.hasNonNull("rawPath")) {
            return event.get("rawPath").asText();
        }
        String routeKey = event.path("routeKey").asText();
        int space = routeKey.indexOf(' ');
        return space < 0 ? routeKey : routeKey.substring(space + 1);
    }

    private static String method(JsonNode event) {
        String method = event.path("requestContext").path("http").path("method").asText("");
        if (method.isEmpty()) {
            String routeKey = event.path("routeKey").asText();
            method = routeKey.contains(" ") ? routeKey.substring(0, routeKey.indexOf(' ')) : "";
        }
        return method.isEmpty() ? "?" : method;
    }

    private static String abbreviate(JsonNode event) {
        String text = String.valueOf(event);
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }

    /** An event the local router cannot send anywhere. */
    public static class UnroutableEventException extends IllegalArgumentException {
        public UnroutableEventException(String message) {
            super(message);
        }
    }
}
