package com.dotmac.provisioning.policy;

import com.dotmac.provisioning.PlaybookVariables;
import com.dotmac.provisioning.rules.InputRules;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * One extra var that the host allows a request to set: its name, its type and the values it accepts. A request's
 * {@code extra_vars} may hold only declared names ({@link RequestVariables}). Immutable and thread-safe; build one
 * with {@link #string(String)}, {@link #integer(String)}, {@link #bool(String)}, {@link #hostName(String)},
 * {@link #url(String)} or {@link #stringList(String)}.
 *
 * <p>A name the library or the Ansible content uses can never be declared ({@link PlaybookVariables#isReserved}):
 * every setting, command, path and security switch of the roles starts with {@code tenant_} and is listed in
 * {@code ansible/variables.yml}.
 *
 * <pre>{@code
 * RequestVariable.string("plan").allowedValues("starter", "gold", "platinum").build();
 * RequestVariable.string("region").pattern("[a-z]{2}-[a-z]+-[0-9]").build();
 * RequestVariable.integer("seats").range(1, 10_000).build();
 * }</pre>
 *
 * @param name the extra var's name: an identifier that is not reserved
 * @param type what kind of JSON value it takes
 * @param pattern a regular expression every string (or list item) must match as a whole, or null
 * @param allowedValues the only strings (or list items) accepted; empty for any
 * @param maxLength the longest string (or list item), in characters
 * @param maxItems the most items of a {@link Type#STRING_LIST}
 * @param multiLine whether strings may hold line feeds and tabs (never other control characters)
 * @param min the smallest {@link Type#INTEGER}, or null
 * @param max the largest {@link Type#INTEGER}, or null
 */
public record RequestVariable(String name, Type type, @Nullable String pattern, List<String> allowedValues,
        int maxLength, int maxItems, boolean multiLine, @Nullable Long min, @Nullable Long max) {
    /** The longest string accepted when a declaration says nothing. */
    public static final int DEFAULT_MAX_LENGTH = 256;
    /** The most list items accepted when a declaration says nothing. */
    public static final int DEFAULT_MAX_ITEMS = 32;
    /** The longest string any declaration may accept. */
    public static final int MAX_LENGTH_LIMIT = 4096;
    private static final int MAX_URL_LENGTH = 2048;

    /** The JSON type of a declared variable. */
    public enum Type {
        /** A string (single line unless {@code multiLine}). */
        STRING,
        /** A whole number (JSON number without fraction). */
        INTEGER,
        /** {@code true} or {@code false}. */
        BOOLEAN,
        /** A DNS host name or an IP address. */
        HOST_NAME,
        /** An {@code http} or {@code https} URL without user info, quotes, spaces or control characters. */
        URL,
        /** A list of strings, each checked like a {@link #STRING}. */
        STRING_LIST
    }

    /**
     * Checks the declaration.
     *
     * @throws IllegalArgumentException when the name is not an identifier or is reserved, the pattern does not
     *     compile, or a limit is out of range
     */
    public RequestVariable {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        String badName = InputRules.identifier(name);
        if (badName != null) {
            throw new IllegalArgumentException("request variable '" + name + "': the name " + badName);
        }
        if (PlaybookVariables.isReserved(name)) {
            throw new IllegalArgumentException("request variable '" + name + "' cannot be declared: "
                    + PlaybookVariables.whyReserved(name));
        }
        if (pattern != null) {
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("request variable '" + name + "': the pattern does not compile: "
                        + e.getDescription());
            }
        }
        allowedValues = List.copyOf(allowedValues);
        if (maxLength < 1 || maxLength > MAX_LENGTH_LIMIT) {
            throw new IllegalArgumentException("request variable '" + name + "': maxLength must be 1-"
                    + MAX_LENGTH_LIMIT);
        }
        if (maxItems < 1 || maxItems > 256) {
            throw new IllegalArgumentException("request variable '" + name + "': maxItems must be 1-256");
        }
        if (min != null && max != null && min > max) {
            throw new IllegalArgumentException("request variable '" + name + "': min is greater than max");
        }
        for (String allowed : allowedValues) {
            if (InputRules.templateSafe(allowed) != null || InputRules.controlCharacters(allowed, multiLine) != null) {
                throw new IllegalArgumentException("request variable '" + name + "': the allowed value '"
                        + allowed + "' would itself be refused");
            }
        }
    }

    /** @param name the variable @return a builder of a single-line string variable */
    public static Builder string(String name) {
        return new Builder(name, Type.STRING);
    }

    /** @param name the variable @return a builder of a whole-number variable */
    public static Builder integer(String name) {
        return new Builder(name, Type.INTEGER);
    }

    /** @param name the variable @return a builder of a boolean variable */
    public static Builder bool(String name) {
        return new Builder(name, Type.BOOLEAN);
    }

    /** @param name the variable @return a builder of a host-name variable */
    public static Builder hostName(String name) {
        return new Builder(name, Type.HOST_NAME);
    }

    /** @param name the variable @return a builder of an http(s) URL variable */
    public static Builder url(String name) {
        return new Builder(name, Type.URL);
    }

    /** @param name the variable @return a builder of a list-of-strings variable */
    public static Builder stringList(String name) {
        return new Builder(name, Type.STRING_LIST);
    }

    /**
     * @param value the request's value for this variable
     * @return why it is refused (never echoing the value), or null when it is accepted
     */
    public @Nullable String check(@Nullable Object value) {
        if (value == null) {
            return "must not be null (leave the variable out instead)";
        }
        return switch (type) {
            case STRING -> value instanceof String s ? checkString(s) : "must be a string";
            case INTEGER -> checkInteger(value);
            case BOOLEAN -> value instanceof Boolean ? null : "must be true or false";
            case HOST_NAME -> value instanceof String s ? checkHost(s) : "must be a host name (a string)";
            case URL -> value instanceof String s ? checkUrl(s) : "must be a URL (a string)";
            case STRING_LIST -> checkList(value);
        };
    }

    private @Nullable String checkString(String s) {
        if (s.length() > maxLength) {
            return "must be at most " + maxLength + " characters";
        }
        String bad = InputRules.controlCharacters(s, multiLine);
        if (bad == null) {
            bad = InputRules.templateSafe(s);
        }
        if (bad != null) {
            return bad;
        }
        if (!allowedValues.isEmpty() && !allowedValues.contains(s)) {
            return "must be one of " + String.join(", ", allowedValues);
        }
        if (pattern != null && !Pattern.compile(pattern).matcher(s).matches()) {
            return "must match " + pattern;
        }
        return null;
    }

    private @Nullable String checkInteger(Object value) {
        boolean whole = value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte;
        if (!whole) {
            return "must be a whole number";
        }
        long n = ((Number) value).longValue();
        if ((min != null && n < min) || (max != null && n > max)) {
            return "must be between " + (min == null ? Long.MIN_VALUE : min) + " and "
                    + (max == null ? Long.MAX_VALUE : max);
        }
        return null;
    }

    private @Nullable String checkHost(String s) {
        String bad = InputRules.host(s);
        return bad != null ? bad : checkString(s);
    }

    private @Nullable String checkUrl(String s) {
        if (s.length() > MAX_URL_LENGTH) {
            return "must be at most " + MAX_URL_LENGTH + " characters";
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f || "\"'<>\\^`{|}".indexOf(c) >= 0) {
                return "must be a URL of printable ASCII without spaces, quotes, braces or backslashes";
            }
        }
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            return "must be a valid URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return "must be an http:// or https:// URL";
        }
        if (uri.getRawUserInfo() != null) {
            return "must not carry user info (credentials) in the URL";
        }
        if (uri.getHost() == null || InputRules.host(uri.getHost()) != null) {
            return "must name a valid host";
        }
        return checkString(s);
    }

    private @Nullable String checkList(Object value) {
        if (!(value instanceof List<?> list)) {
            return "must be a list of strings";
        }
        if (list.size() > maxItems) {
            return "must have at most " + maxItems + " items";
        }
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            String bad = item instanceof String s ? checkString(s) : "must be a string";
            if (bad != null) {
                return "item " + i + " " + bad;
            }
        }
        return null;
    }

    /** A mutable builder; not thread-safe. */
    public static final class Builder {
        private final String name;
        private final Type type;
        private @Nullable String pattern;
        private final List<String> allowedValues = new ArrayList<>();
        private int maxLength = DEFAULT_MAX_LENGTH;
        private int maxItems = DEFAULT_MAX_ITEMS;
        private boolean multiLine;
        private @Nullable Long min;
        private @Nullable Long max;

        private Builder(String name, Type type) {
            this.name = name;
            this.type = type;
        }

        /** @param regex a regular expression strings must match as a whole, or null @return this */
        public Builder pattern(@Nullable String regex) {
            this.pattern = regex;
            return this;
        }

        /** @param values the only strings accepted @return this */
        public Builder allowedValues(String... values) {
            return allowedValues(List.of(values));
        }

        /** @param values the only strings accepted @return this */
        public Builder allowedValues(List<String> values) {
            this.allowedValues.addAll(values);
            return this;
        }

        /** @param v the longest string, in characters (default {@value #DEFAULT_MAX_LENGTH}) @return this */
        public Builder maxLength(int v) {
            this.maxLength = v;
            return this;
        }

        /** @param v the most list items (default {@value #DEFAULT_MAX_ITEMS}) @return this */
        public Builder maxItems(int v) {
            this.maxItems = v;
            return this;
        }

        /** @param v whether strings may hold line feeds and tabs (default false) @return this */
        public Builder multiLine(boolean v) {
            this.multiLine = v;
            return this;
        }

        /** @param minimum the smallest integer @param maximum the largest @return this */
        public Builder range(long minimum, long maximum) {
            this.min = minimum;
            this.max = maximum;
            return this;
        }

        /**
         * @return the declaration
         * @throws IllegalArgumentException as the record's constructor
         */
        public RequestVariable build() {
            return new RequestVariable(name, type, pattern, allowedValues, maxLength, maxItems, multiLine, min, max);
        }
    }
}
