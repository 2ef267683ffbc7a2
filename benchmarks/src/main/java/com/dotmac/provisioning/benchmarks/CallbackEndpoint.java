package com.dotmac.provisioning.benchmarks;

import com.dotmac.provisioning.CallbackReport;
import com.dotmac.provisioning.TenantProvisioner;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The callback over real HTTP, without Spring: a JDK {@link HttpServer} on the loopback interface serving
 * {@code POST /api/v1/tenants/{tenant_id}/provisioning/jobs/{job_id}/callback} the way the Spring starter's
 * {@code ProvisioningController.callback} does (bearer token checked with
 * {@link TenantProvisioner#isCallbackTokenValid}, the job looked up and matched to the path's tenant, the JSON body
 * read into a {@link CallbackReport}, {@link TenantProvisioner#acceptCallback}, 204), and a JDK {@link HttpClient}
 * that posts what the {@code tenant_post_provision} role posts. Thread-safe; close it to stop the server.
 */
final class CallbackEndpoint implements AutoCloseable {
    private static final Pattern PATH =
            Pattern.compile("/api/v1/tenants/([^/]+)/provisioning/jobs/([^/]+)/callback");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TenantProvisioner provisioner;
    private final HttpServer server;
    private final ExecutorService handlers = Executors.newFixedThreadPool(2);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /**
     * Starts the server on an ephemeral loopback port.
     *
     * @param provisioner the engine whose callbacks it accepts
     * @throws UncheckedIOException when the server cannot start
     */
    CallbackEndpoint(TenantProvisioner provisioner) {
        this.provisioner = provisioner;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the callback endpoint", e);
        }
        server.createContext("/api/v1/tenants/", this::handle);
        server.setExecutor(handlers);
        server.start();
    }

    /**
     * Posts a job's callback as the playbook would and waits for the answer.
     *
     * @param tenantId the tenant
     * @param jobId the job
     * @param token the job's callback token
     * @param awxJobId the AWX job id the playbook reports
     * @return the HTTP status (204 when accepted)
     * @throws UncheckedIOException when the request fails
     */
    int post(String tenantId, String jobId, String token, long awxJobId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenant_id", tenantId);
        body.put("provisioning_job_id", jobId);
        body.put("awx_job_id", awxJobId);
        body.put("status", "successful");
        body.put("artifacts", Map.of());
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/tenants/" + tenantId
                + "/provisioning/jobs/" + jobId + "/callback");
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException("callback of job " + jobId + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            Matcher m = PATH.matcher(exchange.getRequestURI().getPath());
            if (!"POST".equals(exchange.getRequestMethod()) || !m.matches()) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String tenantId = m.group(1);
            String jobId = m.group(2);
            String token = bearer(exchange.getRequestHeaders().getFirst("Authorization"));
            if (!provisioner.isCallbackTokenValid(jobId, token)) {
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            if (provisioner.job(jobId).filter(j -> j.tenantId().equals(tenantId)).isEmpty()) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            provisioner.acceptCallback(jobId, token, report(body));
            exchange.sendResponseHeaders(204, -1);
        } catch (RuntimeException e) {
            exchange.sendResponseHeaders(500, -1);
        }
    }

    private static CallbackReport report(byte[] body) {
        if (body.length == 0) {
            return new CallbackReport(null, null, Map.of());
        }
        JsonNode node = JSON.readTree(new String(body, StandardCharsets.UTF_8));
        JsonNode status = node.get("status");
        JsonNode runId = node.get("awx_job_id");
        return new CallbackReport(status == null || status.isNull() ? null : status.asString(),
                runId == null || runId.isNull() ? null : runId.asString(), Map.of());
    }

    private static @Nullable String bearer(@Nullable String authorization) {
        if (authorization == null || !authorization.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
            return null;
        }
        return authorization.substring(7).trim();
    }

    /** Stops the server (waiting for no exchange) and its handler threads. */
    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
