package com.dotmac.provisioning.rules;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The lower snake case wire form of the library's enums ({@code in_progress}, {@code customer_hosted}). */
public final class WireNames {
    private WireNames() {
    }

    /**
     * @param value an enum constant
     * @return its wire form: the constant's name in lower case
     */
    public static String of(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire form.
     *
     * @param type the enum
     * @param wireName the wire form
     * @param what what the value is, for the message (e.g. "deployment mode")
     * @param <E> the enum type
     * @return the constant
     * @throws IllegalArgumentException naming the accepted values when {@code wireName} matches none
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String wireName, String what) {
        for (E constant : type.getEnumConstants()) {
            if (of(constant).equals(wireName)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("unknown " + what + " '" + Strings.abbreviate(wireName, 40)
                + "'; expected one of " + list(type));
    }

    /**
     * @param type the enum
     * @return its wire forms, comma separated
     */
    public static String list(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(WireNames::of).collect(Collectors.joining(", "));
    }
}
