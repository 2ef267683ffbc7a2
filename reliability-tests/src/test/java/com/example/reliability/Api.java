package com.example.reliability;

import com.dotmac.provisioning.rules.JsonValues;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client of the provisioning REST API on a test server, authenticating as the operator with HTTP Basic. Every
 * reply is kept ({@link #replies()}) so that tests can scan all response bodies. Thread-safe.
 */
final class Api {
    /** Reads replies as the library reads JSON: integers as Long (or BigInteger), fractions as BigDecimal. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final List<Reply> replies = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** @param port the server's port */
    Api(int port) {
        this.base = "http://localhost:" + port;
    }

    /** A reply: status, headers (lower-case names, first values) and body. */
    record Reply(int status, Map<String, String> headers, String body) {
        @SuppressWarnings("unchecked")
        Map<String, Object> json() {
            return JsonValues.copyMap(JSON.readValue(body, Map.class));
        }

        @SuppressWarnings("unchecked")
        List<Object> errorFields() {
            Object errors = json().get("errors");
            if (!(errors instanceof List<?> list)) {
                return List.of();
            }
            return ((List<Map<String, Object>>) list).stream().map(e -> e.get("field")).toList();
        }

        String contentType() {
            return headers.getOrDefault("content-type", "");
        }
    }

    /**
     * @param method the HTTP method
     * @param path the path (already encoded) and query
     * @param body a JSON body, or null for none
     * @param headers extra headers, name and value pairs (a {@code Content-Type} here replaces the JSON one)
     * @return the reply
     */
    Reply call(String method, String path, @Nullable String body, String... headers) {
        return send(method, path, body, true, headers);
    }

    /** As {@link #call}, without credentials (the callback authenticates by the job token). */
    Reply anonymous(String method, String path, @Nullable String body, String... headers) {
        return send(method, path, body, false, headers);
    }

    private Reply send(String method, String path, @Nullable String body, boolean operator, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        Map<String, String> extra = new LinkedHashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            extra.put(headers[i], headers[i + 1]);
        }
        if (body != null && !extra.containsKey("Content-Type")) {
            b.header("Content-Type", "application/json");
        }
        if (operator) {
            b.header("Authorization", "Basic " + basicCredentials());
        }
        extra.forEach(b::header);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, String> h = new LinkedHashMap<>();
            r.headers().map().forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), v.get(0)));
            Reply reply = new Reply(r.statusCode(), h, Objects.requireNonNullElse(r.body(), ""));
            replies.add(reply);
            return reply;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return the operator's Basic credentials, Base64 encoded */
    static String basicCredentials() {
        return Base64.getEncoder().encodeToString((ReliabilityPlatform.OPERATOR + ":"
                + ReliabilityPlatform.OPERATOR_PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    /** @return every reply so far */
    List<Reply> replies() {
        return new ArrayList<>(replies);
    }
}
