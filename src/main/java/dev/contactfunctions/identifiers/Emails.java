package dev.contactfunctions.identifiers;

import java.util.Locale;
import java.util.regex.Pattern;

/** Email rules shared by every function: one normal form for lookups and a validity check (log-safe forms: {@link Pseudonyms}). */
public final class Emails {

    /**
     * One dot-separated part of an address as mail servers deliver it unquoted: none of the specials
     * {@code < > ( ) [ ] , ; : \ "} nor {@code @}, no white space or separator of any script, no control, format or
     * lone surrogate character; any other character, so international addresses (RFC 6531) pass.
     */
    private static final String ATOM = "[^.@<>()\\[\\],;:\\\\\"\\s\\p{Z}\\p{Cc}\\p{Cf}\\p{Cs}]+";
    /** Dot-separated atoms, one @, at least two labels in the domain; what Intercom itself accepts is looser. */
    private static final Pattern VALID = Pattern.compile("^" + ATOM + "(\\." + ATOM + ")*@" + ATOM + "(\\." + ATOM
            + ")+$");
    public static final int MAX_LENGTH = 254;

    private Emails() {
    }

    /** Trimmed and lower-cased: the form every lookup uses. */
    public static String normalize(String email) {
        return email == null ? null : email.trim().toLowerCase(Locale.ROOT);
    }

    /** The one rule of every function: what a webhook refuses (400 {@code invalid_email}) and the audit reports. */
    public static boolean isValid(String normalized) {
        return normalized != null && normalized.length() <= MAX_LENGTH && VALID.matcher(normalized).matches();
    }
}
