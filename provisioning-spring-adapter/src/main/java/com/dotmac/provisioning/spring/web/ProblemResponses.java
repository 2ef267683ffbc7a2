package com.dotmac.provisioning.spring.web;

import com.dotmac.provisioning.FieldError;
import com.dotmac.provisioning.internal.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** Builds JSON and {@code application/problem+json} (RFC 9457) responses. Stateless and thread-safe. */
final class ProblemResponses {
    static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

    private ProblemResponses() {
    }

    static ResponseEntity<String> json(HttpStatus status, Object body) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(Json.write(body));
    }

    static ResponseEntity<String> problem(HttpStatus status, @Nullable String detail, String instance,
            List<FieldError> fieldErrors, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", status.getReasonPhrase());
        body.put("status", (long) status.value());
        body.put("detail", detail);
        body.put("instance", instance);
        if (!fieldErrors.isEmpty()) {
            body.put("errors", fieldErrors.stream()
                    .map(fe -> Map.<String, Object>of("field", fe.field(), "message", fe.message())).toList());
        }
        body.putAll(extra);
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(status).contentType(PROBLEM_JSON);
        if (status == HttpStatus.UNAUTHORIZED) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return builder.body(Json.write(body));
    }
}
