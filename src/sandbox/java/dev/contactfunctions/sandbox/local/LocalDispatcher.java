package dev.contactfunctions.sandbox.local;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Routes one raw event to the handler {@link LocalEventRoutes} names: a {@link RequestStreamHandler} gets the bytes,
 * a {@link RequestHandler} gets the event read as its declared input type, and its result is written as JSON, the
 * way the Lambda runtime would do it for that handler alone.
 */
final class LocalDispatcher {

    /** A handler bean and its class (the class, not a client proxy, declares the type arguments). */
    record Target(Object handler, Class<?> beanClass) {
    }

    private final Function<String, Optional<Target>> handlers;
    private final Supplier<Collection<String>> handlerNames;
    private final ObjectMapper mapper;

    LocalDispatcher(Function<String, Optional<Target>> handlers, Supplier<Collection<String>> handlerNames,
            ObjectMapper mapper) {
        this.handlers = handlers;
        this.handlerNames = handlerNames;
        this.mapper = mapper;
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    void dispatch(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] raw = input.readAllBytes();
        JsonNode event;
        try {
            event = mapper.readTree(raw);
        } catch (IOException e) {
            throw new LocalEventRoutes.UnroutableEventException("The event is not JSON: " + e.getMessage());
        }
        LocalEventRoutes.Route route = LocalEventRoutes.route(event);
        Target target = handlers.apply(route.handler()).orElseThrow(() -> new HandlerNotAvailableException(
                "Handler '" + route.handler() + "' is not available in this build (it serves " + route.event()
                        + "); handlers present: " + handlerNames.get()));
        if (target.handler() instanceof RequestStreamHandler stream) {
            stream.handleRequest(new ByteArrayInputStream(raw), output, context);
            return;
        }
        if (!(target.handler() instanceof RequestHandler handler)) {
            throw new HandlerNotAvailableException("Bean '" + route.handler() + "' is not a Lambda handler");
        }
        Class<?> inputType = inputType(target.beanClass());
        Object in = inputType.isInstance(event) ? event : mapper.treeToValue(event, inputType);
        Object result = handler.handleRequest(in, context);
        mapper.writeValue(output, result);
    }

    /** The {@code I} of the {@code RequestHandler<I, O>} a class implements, searched up its hierarchy. */
    static Class<?> inputType(Class<?> handlerClass) {
        for (Class<?> type = handlerClass; type != null && type != Object.class; type = type.getSuperclass()) {
            for (Type candidate : type.getGenericInterfaces()) {
                if (candidate instanceof ParameterizedType parameterized
                        && parameterized.getRawType() == RequestHandler.class) {
                    return rawClass(parameterized.getActualTypeArguments()[0]);
                }
            }
            Type parent = type.getGenericSuperclass();
            if (parent instanceof ParameterizedType parameterized && parameterized.getRawType() instanceof Class<?> raw
                    && RequestHandler.class.isAssignableFrom(raw) && raw.getTypeParameters().length > 0) {
                // class Mine extends BaseHandler<APIGatewayV2HTTPEvent>: the argument of the parent
                Class<?> resolved = rawClass(parameterized.getActualTypeArguments()[0]);
                if (resolved != Object.class) {
                    return resolved;
                }
            }
        }
        return Object.class;
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        if (type instanceof TypeVariable<?>) {
            return Object.class;
        }
        return Object.class;
    }

    /** The event is for a function whose handler is not in this build. */
    static class HandlerNotAvailableException extends IllegalStateException {
        HandlerNotAvailableException(String message) {
            super(message);
        }
    }
}
