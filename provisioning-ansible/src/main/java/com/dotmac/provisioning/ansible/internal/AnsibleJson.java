package com.dotmac.provisioning.ansible.internal;

import com.dotmac.provisioning.json.JsonValuesCodec;
import com.dotmac.provisioning.rules.JsonValues;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON the local runner writes and reads: the extra-vars and {@code run.json} files of a run, the quoted strings
 * of a rendered inventory, and the lines of the event callback's {@code events.jsonl}. It is the shared
 * {@link JsonValuesCodec#yamlSafe() YAML-safe codec}: compact JSON with U+2028 and U+2029 escaped as well, so a string
 * stays one line where Ansible reads it as YAML; strict reading normalised as {@link JsonValues#copy} does.
 * Thread-safe.
 */
public final class AnsibleJson {
    /** Deepest nesting read or written. */
    public static final int MAX_DEPTH = JsonValuesCodec.MAX_DEPTH;

    private AnsibleJson() {
    }

    /**
     * @param value a JSON-shaped value (maps, lists, strings, numbers, booleans, null)
     * @return its compact JSON text
     * @throws IllegalArgumentException when it is not JSON-shaped (or a number is not finite)
     */
    public static String write(@Nullable Object value) {
        return JsonValuesCodec.yamlSafe().write(value);
    }

    /**
     * @param text JSON text holding an object
     * @return the object, normalised as {@link JsonValues#copyMap} does
     * @throws IllegalArgumentException when the text is malformed (duplicate keys included) or not an object
     */
    public static Map<String, Object> readObject(String text) {
        return JsonValuesCodec.yamlSafe().readObject(text);
    }
}
