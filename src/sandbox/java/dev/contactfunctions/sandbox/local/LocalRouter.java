package dev.contactfunctions.sandbox.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collection;
import java.util.Optional;
import java.util.TreeSet;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.inject.Named;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.contactfunctions.invocation.JsonMapping;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;

/**
 * The handler of the local run ({@code %dev.quarkus.lambda.handler=local-router}): one dev process serves every
 * function. Each event posted to the Lambda mock event server goes to the {@code @Named} handler its shape calls for
 * ({@link LocalEventRoutes}), read with the mapper the functions read their events with.
 */
@Named("local-router")
public class LocalRouter implements RequestStreamHandler {

    static final String NAME = "local-router";

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        new LocalDispatcher(LocalRouter::lookup, LocalRouter::handlerNames, mapper()).dispatch(input, output, context);
    }

    private static Optional<LocalDispatcher.Target> lookup(String name) {
        InstanceHandle<Object> handle = Arc.container().instance(name);
        if (!handle.isAvailable()) {
            return Optional.empty();
        }
        return Optional.of(new LocalDispatcher.Target(handle.get(), handle.getBean().getBeanClass()));
    }

    private static Collection<String> handlerNames() {
        Collection<String> names = new TreeSet<>();
        for (Bean<?> bean : Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE)) {
            boolean handler = RequestHandler.class.isAssignableFrom(bean.getBeanClass())
                    || RequestStreamHandler.class.isAssignableFrom(bean.getBeanClass());
            if (handler && bean.getName() != null && !bean.getName().equals(NAME)) {
                names.add(bean.getName());
            }
        }
        return names;
    }

    /** The mapper of Lambda events, as the functions' handlers read them. */
    static ObjectMapper mapper() {
        return JsonMapping.lambdaEvents();
    }
}
