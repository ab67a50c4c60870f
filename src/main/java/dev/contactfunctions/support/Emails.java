package dev.contactfunctions.support;

import java.util.Locale;
import java.util.regex.Pattern;

/** Email rules shared by every function: one normal form for lookups and a validity check (log-safe forms: {@link Pseudonyms}). */
public final class Emails {

    // Pragmatic: one @, a dot in the domain, no spaces; what Intercom itself accepts is looser.
    private static final Pattern VALID = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    public static final int MAX_LENGTH = 254;

    private Emails() {
    }

    /** Trimmed and lower-cased: the form every lookup uses. */
    public static String normalize(String email) {
        return email == null ? null : email.trim().toLowerCase(Locale.ROOT);
    }

    public static boolean isValid(String normalized) {
        return normalized != null && normalized.length() <= MAX_LENGTH && VALID.matcher(normalized).matches();
    }
}
