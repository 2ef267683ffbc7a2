package com.dotmac.provisioning.spring;

import com.example.platform.ApiTestApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTP calls against the test application on its random port, as its users ({@link ApiTestApplication}). A call, its
 * body included, ends within {@link #WAIT}: one that gets an event stream that does not end fails the test instead of
 * holding it for the stream's maximum duration.
 */
final class RestCalls {
    private static final long WAIT = 30;
    /** Reads answers as plain maps and lists, integers as {@link Long}. */
    private static final JsonMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .build();

    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;

    RestCalls(int port) {
        this.port = port;
    }

    /** An answer: status, headers (lower-case names), body. */
    record Reply(int status, Map<String, String> headers, String body) {
        Map<String, Object> json() {
            return JSON.readValue(body, new TypeReference<Map<String, Object>>() { });
        }

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> errors() {
            return (List<Map<String, Object>>) json().get("errors");
        }

        List<Object> errorFields() {
            return errors().stream().map(e -> e.get("field")).toList();
        }
    }

    /**
     * @param user a user of the test application, or null for none
     * @param headers extra headers, name and value by turns
     */
    Reply call(String method, String path, @Nullable String user, @Nullable String body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + ApiTestApplication.PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(b.build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> r;
        try {
            r = answer.get(WAIT, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true); // drops the connection
            throw new AssertionError(method + " " + path + " did not end within " + WAIT + " s", e);
        }
        Map<String, String> h = new HashMap<>();
        r.headers().map().forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), v.get(0)));
        return new Reply(r.statusCode(), h, r.body());
    }
}
