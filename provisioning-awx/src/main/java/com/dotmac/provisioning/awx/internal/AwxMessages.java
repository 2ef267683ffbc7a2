package com.dotmac.provisioning.awx.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** Turns AWX bodies and texts into bounded one-line messages for operators. Stateless, thread-safe. */
public final class AwxMessages {
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]");
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]{8,}");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final int FIELD_MESSAGES_MAX = 600;

    private AwxMessages() {
    }

    /**
     * Formats a DRF error body: {@code {"detail": "..."}} gives the detail; a field map such as
     * {@code {"variables_needed_to_start": ["'x' value missing"]}} gives {@code variables_needed_to_start: 'x' value
     * missing}; several fields are joined with {@code "; "}.
     *
     * @param body the error body, or null
     * @return the messages, bounded, or null when the body holds none
     */
    public static @Nullable String fieldMessages(@Nullable JsonNode body) {
        if (body == null) {
            return null;
        }
        if (body.isString() || body.isArray()) {
            String text = values(body);
            return text.isBlank() ? null : bounded(oneLine(text), FIELD_MESSAGES_MAX);
        }
        if (!body.isObject()) {
            return null;
        }
        JsonNode detail = body.get("detail");
        if (detail != null && body.size() == 1) {
            return bounded(oneLine(values(detail)), FIELD_MESSAGES_MAX);
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            String value = values(field.getValue());
            String name = field.getKey();
            parts.add(name.equals("detail") || name.equals("__all__") || name.equals("error") ? value
                    : name + ": " + value);
        }
        String joined = String.join("; ", parts);
        return joined.isBlank() ? null : bounded(oneLine(joined), FIELD_MESSAGES_MAX);
    }

    private static String values(JsonNode node) {
        if (node.isString()) {
            return node.stringValue();
        }
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(item -> items.add(values(item)));
            return String.join(", ", items);
        }
        return node.toString();
    }

    /**
     * @param text any text (e.g. Ansible stdout)
     * @return the text without ANSI colour codes, its white space collapsed to single spaces
     */
    public static String oneLine(String text) {
        return WHITESPACE.matcher(ANSI.matcher(text).replaceAll("")).replaceAll(" ").trim();
    }

    /**
     * @param text any text
     * @return the text with anything that looks like a Bearer token replaced
     */
    public static String redactBearer(String text) {
        return BEARER.matcher(text).replaceAll("$1[redacted]");
    }

    /**
     * @param text any text
     * @param max the most characters to keep
     * @return the text, cut with an ellipsis when longer than {@code max}
     */
    public static String bounded(String text, int max) {
        return text.length() <= max ? text : text.substring(0, Math.max(0, max - 1)) + "…";
    }

    /**
     * @param text a multi-line text such as a Python traceback
     * @param max the most characters to keep
     * @return its end (where a traceback names the error), at most {@code max} characters
     */
    public static String tail(String text, int max) {
        String flat = oneLine(text);
        return flat.length() <= max ? flat : "…" + flat.substring(flat.length() - (max - 1));
    }
}
