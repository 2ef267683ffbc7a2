package com.dotmac.provisioning.spring.web;

import com.dotmac.provisioning.FieldError;
import com.dotmac.provisioning.rules.Strings;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.http.converter.HttpMessageNotReadableException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns a body Jackson could not read into the field it names and why, in the API's own words: field names and keys
 * are named (abbreviated), values never, so a secret sent in the wrong place is not echoed. Stateless and
 * thread-safe.
 */
final class JsonInputErrors {
    private static final String BODY = "body";
    private static final int MAX_KEY = 64;

    private JsonInputErrors() {
    }

    /**
     * @param e what Spring MVC reports for an unreadable body
     * @return the bad field ({@code body} for the body as a whole) and why
     */
    static FieldError of(HttpMessageNotReadableException e) {
        if (!(e.getCause() instanceof JacksonException cause)) {
            return new FieldError(BODY, "a JSON object is required");
        }
        String path = path(cause.getPath());
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return new FieldError(path, "is not a field of this request (expected: " + known(unknown) + ")");
        }
        if (cause instanceof MismatchedInputException mismatch) {
            if (path.isEmpty()) {
                return new FieldError(BODY, trailing(mismatch) ? "must hold one JSON object and nothing after it"
                        : "must be a JSON object");
            }
            return new FieldError(path, expected(mismatch.getTargetType()));
        }
        if (cause instanceof InputCoercionException coercion) {
            return new FieldError(path.isEmpty() ? BODY : path, "is out of range for "
                    + expected(coercion.getTargetType()).replaceFirst("^must be ", ""));
        }
        if (cause instanceof StreamReadException read) {
            String duplicate = duplicateKey(read);
            if (duplicate != null) {
                return new FieldError(path.isEmpty() ? abbreviate(duplicate) : path + "." + abbreviate(duplicate),
                        "appears more than once");
            }
            return new FieldError(BODY, "is not valid JSON" + where(read.getLocation()));
        }
        return new FieldError(BODY, "could not be read as JSON");
    }

    /** @return the JSON path as the API names fields: {@code extra_vars.sites[1]} */
    private static String path(List<JacksonException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference r : references) {
            if (r.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(abbreviate(r.getPropertyName()));
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String known(UnrecognizedPropertyException e) {
        Collection<Object> ids = e.getKnownPropertyIds();
        return ids == null ? "" : String.join(", ", ids.stream().map(String::valueOf).sorted().toList());
    }

    private static boolean trailing(MismatchedInputException e) {
        return Objects.requireNonNullElse(e.getOriginalMessage(), "").startsWith("Trailing token");
    }

    private static String expected(@Nullable Class<?> type) {
        if (type == null) {
            return "has the wrong type";
        }
        if (type == String.class) {
            return "must be a string";
        }
        if (type == Long.class || type == Integer.class || type == long.class || type == int.class) {
            return "must be an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "must be true or false";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "must be a JSON object";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "must be a JSON array";
        }
        return "has the wrong type";
    }

    /** @return the repeated key, as the parser saw it last, when the failure is a duplicate key */
    private static @Nullable String duplicateKey(StreamReadException e) {
        String message = Objects.requireNonNullElse(e.getOriginalMessage(), "");
        JsonParser parser = e.processor();
        if (!message.startsWith("Duplicate ") || parser == null) {
            return null;
        }
        return parser.currentName();
    }

    private static String where(@Nullable TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String abbreviate(String key) {
        return Strings.abbreviate(key, MAX_KEY);
    }
}
