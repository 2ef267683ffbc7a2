package com.dotmac.provisioning.rules;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The allow-list of a W3C Trace Context {@code traceparent} value that the library stores with a job and passes on
 * (to the playbook as an extra var, to AWX as a header, in events): version {@code 00}, a 32-hex-digit trace id and a
 * 16-hex-digit parent id, neither all zeros, and 2 hex digits of flags, all lower case. Anything else is dropped,
 * never stored or passed on. Stateless and thread-safe.
 */
public final class TraceparentRules {
    /** The form this library accepts. */
    public static final Pattern FORMAT = Pattern.compile("^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$");
    private static final String ZERO_TRACE_ID = "0".repeat(32);
    private static final String ZERO_PARENT_ID = "0".repeat(16);

    private TraceparentRules() {
    }

    /**
     * @param value a traceparent from a caller's context, or null
     * @return whether it is well-formed: {@link #FORMAT}, with neither id all zeros
     */
    public static boolean isValid(@Nullable String value) {
        return value != null && value.length() == 55 && FORMAT.matcher(value).matches()
                && !value.substring(3, 35).equals(ZERO_TRACE_ID) && !value.substring(36, 52).equals(ZERO_PARENT_ID);
    }

    /**
     * @param value a traceparent from a caller's context, or null
     * @return the value when it is {@linkplain #isValid valid}, else null (dropped)
     */
    public static @Nullable String validOrNull(@Nullable String value) {
        return isValid(value) ? value : null;
    }
}
