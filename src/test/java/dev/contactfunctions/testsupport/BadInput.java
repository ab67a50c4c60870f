package dev.contactfunctions.testsupport;

import java.util.function.Supplier;

/**
 * One case of a function's bad-input corpus, in a form any test can drive: the real-shaped event (JSON, signed as
 * the case needs) and the precise refusal it must get. The corpora stay in their functions' test classes; the
 * reliability suite runs all of them from one place.
 *
 * @param route the webhook path the event is for
 * @param field the error's {@code field}, or null when the refusal names none
 */
public record BadInput(String route, String name, Supplier<String> event, int status, String code, String field) {

    @Override
    public String toString() {
        return route + ": " + name;
    }
}
