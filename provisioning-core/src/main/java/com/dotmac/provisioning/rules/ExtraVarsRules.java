package com.dotmac.provisioning.rules;

import com.dotmac.provisioning.PlaybookVariables;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Validates a request's {@code extra_vars}: identifier keys that shadow nothing reserved, JSON-shaped values, no
 * Jinja delimiters anywhere, bounded sizes. Errors name the path, e.g. {@code extra_vars.sites[2].name}.
 */
public final class ExtraVarsRules {
    /** Most top-level keys. */
    public static final int MAX_KEYS = 64;
    /** Deepest nesting of maps and lists. */
    public static final int MAX_DEPTH = 5;
    /** Longest string value or nested key. */
    public static final int MAX_STRING_LENGTH = 4096;
    /** Most items in one list or nested map. */
    public static final int MAX_ITEMS = 256;
    /** Largest JSON form of all extra vars, in characters. */
    public static final int MAX_TOTAL_LENGTH = 32 * 1024;

    private static final String FIELD = "extra_vars";

    private ExtraVarsRules() {
    }

    /**
     * @param extraVars the request's extra vars
     * @param errors where problems are recorded
     */
    public static void check(Map<String, ?> extraVars, FieldErrors errors) {
        check(extraVars, errors, PlaybookVariables::whyReserved);
    }

    /**
     * Checks an operator's settings (a runner's fixed or default extra vars): like a request's extra vars, except
     * that the Ansible content's own settings ({@code tenant_*}) are what they are for.
     *
     * @param settings the operator's extra vars
     * @param errors where problems are recorded
     */
    public static void checkSettings(Map<String, ?> settings, FieldErrors errors) {
        check(settings, errors, PlaybookVariables::whyReservedForSettings);
    }

    private static void check(Map<String, ?> extraVars, FieldErrors errors,
            Function<String, @Nullable String> whyReserved) {
        if (extraVars.size() > MAX_KEYS) {
            errors.add(FIELD, "must have at most " + MAX_KEYS + " keys");
            return;
        }
        for (Map.Entry<String, ?> e : extraVars.entrySet()) {
            String key = e.getKey();
            String path = FIELD + "." + Strings.abbreviate(key, 64);
            String bad = InputRules.identifier(key);
            if (bad != null) {
                errors.add(path, "key " + bad);
            } else {
                String reserved = whyReserved.apply(key);
                if (reserved != null) {
                    errors.add(path, "is reserved: " + reserved);
                }
            }
            checkValue(e.getValue(), path, 1, errors);
        }
        if (errors.isEmpty()) {
            try {
                if (JsonSize.of(extraVars) > MAX_TOTAL_LENGTH) {
                    errors.add(FIELD, "must be at most " + MAX_TOTAL_LENGTH + " characters as JSON");
                }
            } catch (IllegalArgumentException e) {
                errors.add(FIELD, "must be JSON values");
            }
        }
    }

    private static void checkValue(Object value, String path, int depth, FieldErrors errors) {
        if (value == null || value instanceof Boolean) {
            return;
        }
        if (value instanceof Number number) {
            double d = number.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                errors.add(path, "must be a finite number");
            }
            return;
        }
        if (value instanceof String s) {
            checkString(s, path, errors);
            return;
        }
        if (depth >= MAX_DEPTH && (value instanceof Map || value instanceof Iterable)) {
            errors.add(path, "is nested too deeply (at most " + MAX_DEPTH + " levels)");
            return;
        }
        if (value instanceof Map<?, ?> map) {
            if (map.size() > MAX_ITEMS) {
                errors.add(path, "must have at most " + MAX_ITEMS + " keys");
                return;
            }
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key) || key.isEmpty()) {
                    errors.add(path, "keys must be non-empty strings");
                    continue;
                }
                String child = path + "." + Strings.abbreviate(key, 64);
                checkString(key, child, errors);
                checkValue(e.getValue(), child, depth + 1, errors);
            }
            return;
        }
        if (value instanceof Iterable<?> list) {
            int i = 0;
            for (Object item : list) {
                if (i == MAX_ITEMS) {
                    errors.add(path, "must have at most " + MAX_ITEMS + " items");
                    return;
                }
                checkValue(item, path + "[" + i + "]", depth + 1, errors);
                i++;
            }
            return;
        }
        errors.add(path, "must be a string, number, boolean, null, list or object");
    }

    private static void checkString(String s, String path, FieldErrors errors) {
        if (s.length() > MAX_STRING_LENGTH) {
            errors.add(path, "must be at most " + MAX_STRING_LENGTH + " characters");
            return;
        }
        String bad = InputRules.templateSafe(s);
        if (bad != null) {
            errors.add(path, bad);
        }
    }
}
