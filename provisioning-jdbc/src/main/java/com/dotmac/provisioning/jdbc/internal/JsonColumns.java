package com.dotmac.provisioning.jdbc.internal;

import com.dotmac.provisioning.json.JsonValuesCodec;
import com.dotmac.provisioning.rules.JsonValues;
import java.util.Map;

/**
 * The JSON text of stored columns (extra vars, connection profiles, artifacts, event data), through the shared
 * {@link JsonValuesCodec#standard() standard codec}: compact standard JSON, read strictly and normalised as
 * {@link JsonValues#copy} does. The text written by the library's earlier JSON codec is the same standard JSON and
 * reads the same. Thread-safe.
 */
public final class JsonColumns {
    /** Deepest nesting read or written. */
    public static final int MAX_DEPTH = JsonValuesCodec.MAX_DEPTH;

    private JsonColumns() {
    }

    /**
     * @param value a JSON-shaped map (maps, lists, strings, numbers, booleans, null)
     * @return its compact JSON text
     * @throws IllegalArgumentException when a value is not JSON-shaped (or a number is not finite)
     */
    public static String write(Map<String, ?> value) {
        return JsonValuesCodec.standard().write(value);
    }

    /**
     * @param text JSON text holding an object
     * @return the object, normalised as {@link JsonValues#copyMap} does
     * @throws IllegalArgumentException when the text is malformed (duplicate keys included) or not an object
     */
    public static Map<String, Object> readObject(String text) {
        return JsonValuesCodec.standard().readObject(text);
    }
}
