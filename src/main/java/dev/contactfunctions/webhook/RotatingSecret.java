package dev.contactfunctions.webhook;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.contactfunctions.invocation.NotConfiguredException;
import dev.contactfunctions.invocation.Secrets;

/**
 * One sender's key(s): a plain setting ({@code VARIABLE}) or a Secrets Manager secret ({@code VARIABLE_ARN}, read
 * through {@link Secrets}, so a rotated value is used within its time-to-live), comma-separated while a key is
 * rotated. The list is rebuilt only when the secret's text changes.
 */
final class RotatingSecret {

    private final Optional<String> value;
    private final Optional<String> arn;
    private final String variable;
    private final String purpose;
    private volatile Keys cached;

    private record Keys(String text, List<String> keys) {
    }

    RotatingSecret(Optional<String> value, Optional<String> arn, String variable, String purpose) {
        this.value = value;
        this.arn = arn;
        this.variable = variable;
        this.purpose = purpose;
    }

    /** @throws NotConfiguredException naming the setting when neither is set, or the value holds no key */
    List<String> keys(Secrets secrets) {
        return configured(secrets).orElseThrow(this::notConfigured);
    }

    /** The keys, or empty when the setting is not configured. */
    Optional<List<String>> configured(Secrets secrets) {
        String text = arn.filter(a -> !a.isBlank()).map(secrets::read).or(() -> value).orElse("");
        Keys current = cached;
        if (current == null || !current.text().equals(text)) {
            current = new Keys(text, Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .toList());
            cached = current;
        }
        return current.keys().isEmpty() ? Optional.empty() : Optional.of(current.keys());
    }

    NotConfiguredException notConfigured() {
        return new NotConfiguredException(setting(), purpose);
    }

    /** How the setting is named in messages: {@code VARIABLE_ARN (or VARIABLE)}. */
    String setting() {
        return variable + "_ARN (or " + variable + ")";
    }
}
