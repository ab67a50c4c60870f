package dev.contactfunctions.sandbox;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Faults planned for chosen endpoints: {@code next(2, Endpoint.CREATE_CONTACT, Fault.status(503))} fails the next
 * two creates, {@code always(Endpoint.SEARCH_CONTACTS, Fault.dropConnection())} every search until
 * {@link #clear()}. Rules are tried in the order they were added; the first one that matches a request plays.
 */
public final class FaultInjector {

    private final List<Rule> rules = new ArrayList<>();

    private static final class Rule {
        final Endpoint endpoint; // null: any endpoint
        final Fault fault;
        int remaining; // -1: always

        Rule(Endpoint endpoint, Fault fault, int remaining) {
            this.endpoint = endpoint;
            this.fault = Objects.requireNonNull(fault);
            this.remaining = remaining;
        }
    }

    /** The next {@code times} requests to {@code endpoint} get {@code fault}. */
    public synchronized FaultInjector next(int times, Endpoint endpoint, Fault fault) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1");
        }
        rules.add(new Rule(Objects.requireNonNull(endpoint), fault, times));
        return this;
    }

    /** Every request to {@code endpoint} gets {@code fault} until {@link #clear()}. */
    public synchronized FaultInjector always(Endpoint endpoint, Fault fault) {
        rules.add(new Rule(Objects.requireNonNull(endpoint), fault, -1));
        return this;
    }

    /** The next {@code times} requests to any Intercom endpoint get {@code fault}. */
    public synchronized FaultInjector nextOnAny(int times, Fault fault) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1");
        }
        rules.add(new Rule(null, fault, times));
        return this;
    }

    /** Every request to any Intercom endpoint gets {@code fault} until {@link #clear()}. */
    public synchronized FaultInjector alwaysOnAny(Fault fault) {
        rules.add(new Rule(null, fault, -1));
        return this;
    }

    public synchronized void clear() {
        rules.clear();
    }

    /** Faults still planned (an "always" rule counts as one). */
    public synchronized int pending() {
        return rules.size();
    }

    /** The fault for this request, if one is planned; spends one use of its rule. */
    synchronized Fault take(Endpoint endpoint) {
        for (Iterator<Rule> it = rules.iterator(); it.hasNext();) {
            Rule rule = it.next();
            if (rule.endpoint != null && rule.endpoint != endpoint) {
                continue;
            }
            if (rule.remaining > 0 && --rule.remaining == 0) {
                it.remove();
            }
            return rule.fault;
        }
        return null;
    }
}
