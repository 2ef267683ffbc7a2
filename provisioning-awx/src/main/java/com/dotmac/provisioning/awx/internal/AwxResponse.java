package com.dotmac.provisioning.awx.internal;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * An answer from AWX that the transport did not turn into an exception: a 2xx with a JSON (or empty) body, or a
 * 4xx other than 401, 403 and 429, for the caller to interpret.
 *
 * @param code the HTTP status
 * @param body the JSON body, or null when it was empty (or, for a 4xx, not JSON)
 * @param method the request's method
 * @param path the request's path (no query), for messages
 */
public record AwxResponse(int code, @Nullable JsonNode body, String method, String path) {
    /** @return whether the status is 2xx */
    public boolean isSuccessful() {
        return code >= 200 && code < 300;
    }

    /** @return e.g. {@code POST /api/v2/job_templates/14/launch/} */
    public String request() {
        return method + " " + path;
    }
}
