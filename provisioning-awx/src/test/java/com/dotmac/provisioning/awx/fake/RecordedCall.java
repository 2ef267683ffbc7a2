package com.dotmac.provisioning.awx.fake;

import okhttp3.Headers;
import org.jspecify.annotations.Nullable;

/**
 * One request the fake AWX received.
 *
 * @param method the HTTP method
 * @param path the encoded path, e.g. {@code /api/v2/jobs/}
 * @param query the encoded query, or null
 * @param authorization the {@code Authorization} header as sent, or null
 * @param body the request body as text (empty when none)
 * @param fault the fault answered instead of the normal answer, or null
 * @param headers all request headers as sent
 */
public record RecordedCall(String method, String path, @Nullable String query, @Nullable String authorization,
        String body, @Nullable String fault, Headers headers) {
    /** @return e.g. {@code GET /api/v2/jobs/?id__in=1,2} */
    @Override
    public String toString() {
        return method + " " + path + (query == null ? "" : "?" + query) + (fault == null ? "" : " [" + fault + "]");
    }
}
