package com.dotmac.provisioning.awx;

import java.time.Duration;
import java.util.Objects;

/**
 * Hears every HTTP request the runner sends to AWX (each attempt, retries included), e.g. to count requests by
 * outcome in a metrics registry. Called on the runner's calling thread after the answer; must be quick,
 * thread-safe and must not throw (an exception is logged and ignored).
 */
@FunctionalInterface
public interface AwxRequestListener {
    /** Hears nothing. */
    AwxRequestListener NONE = request -> { };

    /**
     * @param request what was sent and how it went
     */
    void onRequest(Request request);

    /**
     * One request to AWX.
     *
     * @param method the HTTP method
     * @param endpoint the path below the API root with ids replaced by {@code {id}}, e.g.
     *     {@code jobs/{id}/cancel/} (a small set of values, fit for a metric tag); requests outside the API root,
     *     like the discovery {@code GET /api/}, keep their full path
     * @param outcome {@code success}, {@code http_<status>} for other answers the runner accepts (e.g.
     *     {@code http_405} of a cancel), or the {@code AwxErrorCodes} code of a failure (e.g. {@code AWX_UNAVAILABLE})
     * @param duration from sending to the end of the answer
     */
    record Request(String method, String endpoint, String outcome, Duration duration) {
        /** Checks the fields are present. */
        public Request {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(duration, "duration");
        }
    }
}
