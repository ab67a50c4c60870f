package dev.contactfunctions.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** Email rules shared by every function: one normal form for lookups, a validity check, and a log-safe form. */
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

    /** A stable, non-reversible token for logs and reports' aggregation: never the address itself. */
    public static String fingerprint(String email) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.valueOf(normalize(email)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
