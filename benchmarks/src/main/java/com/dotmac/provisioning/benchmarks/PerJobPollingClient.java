package com.dotmac.provisioning.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An AWX client as the original (Python) design used it: {@code POST job_templates/{id}/launch/} per job, then
 * {@code GET jobs/{id}/} per job per poll interval until the job is final. Thread-safe.
 */
final class PerJobPollingClient implements AutoCloseable {
    private static final MediaType JSON = MediaType.get("application/json");
    private static final Set<String> FINAL = Set.of("successful", "failed", "error", "canceled");
    private static final JsonMapper MAPPER = new JsonMapper();

    private final OkHttpClient http;
    private final String api;
    private final String authorization;
    private final AtomicLong launches = new AtomicLong();
    private final AtomicLong polls = new AtomicLong();

    /**
     * @param apiRoot the API root URL, e.g. {@code http://127.0.0.1:40123/api/v2/}
     * @param token the Bearer token
     */
    PerJobPollingClient(String apiRoot, String token) {
        this.http = new OkHttpClient.Builder().connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(10))
                .build();
        this.api = apiRoot;
        this.authorization = "Bearer " + token;
    }

    /**
     * @param templateId the job template
     * @param extraVars the job's extra vars
     * @return the AWX job id
     */
    long launch(long templateId, Map<String, Object> extraVars) {
        launches.incrementAndGet();
        JsonNode answer = call(new Request.Builder().url(api + "job_templates/" + templateId + "/launch/")
                .post(RequestBody.create(write(Map.of("extra_vars", extraVars)), JSON)));
        return answer.path("id").asLong();
    }

    /**
     * @param awxJobId an AWX job
     * @return whether it has ended
     */
    boolean isFinal(long awxJobId) {
        polls.incrementAndGet();
        return FINAL.contains(call(new Request.Builder().url(api + "jobs/" + awxJobId + "/").get()).path("status")
                .asString());
    }

    /** @return launch requests sent */
    long launches() {
        return launches.get();
    }

    /** @return poll requests sent */
    long polls() {
        return polls.get();
    }

    private JsonNode call(Request.Builder request) {
        try (Response response = http.newCall(request.header("Authorization", authorization).build()).execute()) {
            ResponseBody body = response.body();
            if (!response.isSuccessful()) {
                throw new IllegalStateException("AWX answered " + response.code() + " to " + response.request().url());
            }
            return MAPPER.readTree(body.string());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
