package com.dotmac.provisioning.rules;

import org.jspecify.annotations.Nullable;

/** Small string helpers. */
public final class Strings {
    private Strings() {
    }

    /**
     * @param value any string
     * @param max the most characters to keep (at least 1)
     * @return {@code value} cut to {@code max} characters, ending with an ellipsis when cut
     */
    public static String abbreviate(String value, int max) {
        if (value.length() <= max) {
            return value;
        }
        return value.substring(0, Math.max(0, max - 1)) + "…";
    }

    /**
     * @param value a string or null
     * @return whether it is null, empty or only white space
     */
    public static boolean isBlank(@Nullable String value) {
        return value == null || value.isBlank();
    }
}
