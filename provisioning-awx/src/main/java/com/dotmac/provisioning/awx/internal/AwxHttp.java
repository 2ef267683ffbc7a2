package com.dotmac.provisioning.awx.internal;

import com.dotmac.provisioning.awx.AwxConfig;
import com.dotmac.provisioning.awx.AwxCredentials;
import com.dotmac.provisioning.awx.AwxErrorCodes;
import com.dotmac.provisioning.awx.AwxRequestListener;
import com.dotmac.provisioning.retry.RetryAfter;
import com.dotmac.provisioning.spi.AutomationException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSink;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The AWX transport: resolves paths under the (discovered) API root, authenticates, sends, classifies faults as
 * transient or permanent {@link AutomationException}s, retries idempotent requests (through {@link AwxRetries}),
 * and follows pages. Never logs a header. Thread-safe.
 */
public final class AwxHttp {
    private static final Logger log = LoggerFactory.getLogger(AwxHttp.class);
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final int MAX_PAGES = 100;
    private static final long MAX_BODY_BYTES = 32L * 1024 * 1024;

    private final OkHttpClient client;
    private final HttpUrl baseUrl;
    private final @Nullable String explicitApiPath;
    private final AwxCredentials credentials;
    private final AwxJson json;
    private final AwxRetries retry;
    private final Clock clock;
    private final Duration readTimeout;
    private final AwxRequestListener listener;
    private final AtomicReference<@Nullable HttpUrl> apiRoot = new AtomicReference<>();

    /**
     * @param client the derived HTTP client (no redirects followed)
     * @param config the runner's configuration
     * @param json JSON mapping
     * @param retry how idempotent requests are retried
     * @param clock reads {@code Retry-After} dates
     */
    public AwxHttp(OkHttpClient client, AwxConfig config, AwxJson json, AwxRetries retry, Clock clock) {
        this.client = client;
        this.baseUrl = HttpUrl.get(config.baseUrl());
        this.explicitApiPath = config.apiPath();
        this.credentials = config.credentials();
        this.json = json;
        this.retry = retry;
        this.clock = clock;
        this.readTimeout = config.readTimeout();
        this.listener = config.requestListener();
    }

    /** @return the AWX base URL */
    public HttpUrl baseUrl() {
        return baseUrl;
    }

    /**
     * The API root, e.g. {@code https://awx.example.com/api/v2/}: the configured path, or discovered once with
     * {@code GET /api/} (AWX: {@code current_version}; AAP 2.5+: {@code apis.controller}, then its
     * {@code current_version}).
     *
     * @return the API root, ending with {@code /}
     * @throws AutomationException when AWX cannot be reached or does not tell (not cached then)
     */
    public HttpUrl api() {
        HttpUrl root = apiRoot.get();
        if (root != null) {
            return root;
        }
        root = explicitApiPath != null ? underBase(explicitApiPath) : discover();
        apiRoot.compareAndSet(null, root);
        return root;
    }

    private HttpUrl discover() {
        HttpUrl apiUrl = baseUrl.newBuilder().addPathSegments("api/").build();
        JsonNode root = expectJson(get(apiUrl, "discover the AWX API path"), "discover the AWX API path");
        String version = AwxJson.text(root, "current_version");
        if (version == null) {
            String controller = AwxJson.text(root.path("apis"), "controller");
            if (controller == null) {
                throw AutomationException.permanent(AwxErrorCodes.CONFIGURATION, "GET " + apiUrl.encodedPath()
                        + " answered neither current_version (AWX) nor apis.controller (Ansible Automation"
                        + " Platform); check the base URL or set the API path explicitly");
            }
            HttpUrl controllerUrl = underBase(controller);
            JsonNode controllerRoot = expectJson(get(controllerUrl, "discover the controller API path"),
                    "discover the controller API path");
            version = AwxJson.text(controllerRoot, "current_version");
            if (version == null) {
                throw AutomationException.permanent(AwxErrorCodes.CONFIGURATION, "GET "
                        + controllerUrl.encodedPath() + " answered without current_version; set the API path"
                        + " explicitly (e.g. /api/controller/v2/)");
            }
        }
        HttpUrl discovered = underBase(version);
        log.info("AWX API at {}", discovered);
        return discovered;
    }

    /**
     * An absolute path from AWX (API root, {@code next} link) placed under the base URL: on the base's host, and
     * below its path prefix when AWX does not know it is served under one. An absolute URL is reduced to its path
     * and query, so that credentials never travel to another host.
     *
     * @param pathOrUrl e.g. {@code /api/v2/jobs/?page=2}
     * @return the URL under the base URL
     */
    public HttpUrl underBase(String pathOrUrl) {
        String path = pathOrUrl;
        HttpUrl absolute = HttpUrl.parse(pathOrUrl);
        if (absolute != null) {
            path = absolute.encodedPath() + (absolute.encodedQuery() == null ? "" : "?" + absolute.encodedQuery());
        }
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        String prefix = baseUrl.encodedPath();
        if (!prefix.equals("/") && !path.startsWith(prefix)) {
            path = prefix + path.substring(1);
        }
        HttpUrl url = baseUrl.resolve(path);
        if (url == null) {
            throw AutomationException.transientFailure(AwxErrorCodes.MALFORMED_RESPONSE,
                    "AWX answered with an unusable path: " + AwxMessages.bounded(pathOrUrl, 200), null);
        }
        return url;
    }

    /**
     * @param relative a path below the API root, e.g. {@code jobs/} (segments are not encoded again)
     * @return a builder of the URL, for adding query parameters
     */
    public HttpUrl.Builder url(String relative) {
        return api().newBuilder().addEncodedPathSegments(relative);
    }

    /**
     * Sends an idempotent GET, retrying transient faults.
     *
     * @param url the URL
     * @param what what the request is for, e.g. {@code poll 3 runs}
     * @return the answer (2xx with JSON, or a 4xx for the caller)
     * @throws AutomationException for faults and 401/403/429/5xx, after the retries
     */
    public AwxResponse get(HttpUrl url, String what) {
        return send(request(url).get().build(), what, true);
    }

    /**
     * Sends a POST. A non-retryable POST (launch, create) is sent once with a one-shot body, so that neither this
     * class nor OkHttp repeats it once it may have reached AWX.
     *
     * @param url the URL
     * @param body the JSON body
     * @param what what the request is for
     * @param retryable whether repeating the request is harmless (e.g. cancel)
     * @return the answer
     * @throws AutomationException for faults and 401/403/429/5xx
     */
    public AwxResponse post(HttpUrl url, JsonNode body, String what, boolean retryable) {
        return post(url, body, what, retryable, Map.of());
    }

    /**
     * Sends a POST with extra headers (e.g. the W3C {@code traceparent} of a launch), as
     * {@link #post(HttpUrl, JsonNode, String, boolean)} sends it otherwise.
     *
     * @param url the URL
     * @param body the JSON body
     * @param what what the request is for
     * @param retryable whether repeating the request is harmless (e.g. cancel)
     * @param headers the extra headers, by name; never the authorization
     * @return the answer
     * @throws AutomationException for faults and 401/403/429/5xx
     */
    public AwxResponse post(HttpUrl url, JsonNode body, String what, boolean retryable, Map<String, String> headers) {
        Request.Builder request = request(url).post(jsonBody(body, !retryable));
        headers.forEach(request::header);
        return send(request.build(), what, retryable);
    }

    /**
     * Sends a PATCH (idempotent: it sets values), retrying transient faults.
     *
     * @param url the URL
     * @param body the fields to set
     * @param what what the request is for
     * @return the answer
     */
    public AwxResponse patch(HttpUrl url, JsonNode body, String what) {
        return send(request(url).patch(jsonBody(body, false)).build(), what, true);
    }

    /**
     * Reads every page of a list, following AWX's (relative) {@code next} links.
     *
     * @param first the first page's URL
     * @param what what the list is for
     * @return the {@code results} of all pages, in order
     * @throws AutomationException when a page cannot be read, or is not a list envelope
     */
    public List<JsonNode> getAllPages(HttpUrl first, String what) {
        List<JsonNode> results = new ArrayList<>();
        Set<HttpUrl> seen = new HashSet<>();
        HttpUrl url = first;
        while (url != null) {
            if (!seen.add(url) || seen.size() > MAX_PAGES) {
                throw AutomationException.transientFailure(AwxErrorCodes.MALFORMED_RESPONSE, "AWX's pages for "
                        + what + " do not end (more than " + MAX_PAGES + " pages, or a repeated next link)", null);
            }
            JsonNode page = expectJson(get(url, what), what);
            JsonNode items = page.get("results");
            if (items == null || !items.isArray()) {
                throw AutomationException.transientFailure(AwxErrorCodes.MALFORMED_RESPONSE, "AWX answered "
                        + what + " without a results list (GET " + url.encodedPath() + ")", null);
            }
            items.forEach(results::add);
            String next = AwxJson.text(page, "next");
            url = next == null ? null : underBase(next);
        }
        return results;
    }

    /**
     * @param response an answer
     * @param what what the request was for
     * @return its JSON body when it is a 2xx with one
     * @throws AutomationException otherwise: permanent for a 4xx (404 as not found), transient for a 2xx without
     *     a JSON body
     */
    public JsonNode expectJson(AwxResponse response, String what) {
        if (!response.isSuccessful()) {
            throw rejected(response, what);
        }
        if (response.body() == null) {
            throw AutomationException.transientFailure(AwxErrorCodes.MALFORMED_RESPONSE, "AWX answered " + what
                    + " (" + response.request() + ") with an empty body", null);
        }
        return response.body();
    }

    /**
     * @param response a 4xx answer
     * @param what what the request was for
     * @return a permanent exception with AWX's messages (404: {@link AwxErrorCodes#NOT_FOUND})
     */
    public AutomationException rejected(AwxResponse response, String what) {
        String messages = AwxMessages.fieldMessages(response.body());
        String code = response.code() == 404 ? AwxErrorCodes.NOT_FOUND : AwxErrorCodes.REQUEST_REJECTED;
        return AutomationException.permanent(code, redact("AWX answered " + response.code() + " to " + what + " ("
                + response.request() + ")" + (messages == null ? "" : ": " + messages)));
    }

    /**
     * @param text any text
     * @return the text with the runner's own secret and anything like a Bearer token removed
     */
    public String redact(String text) {
        return AwxMessages.redactBearer(credentials.redact(text));
    }

    private Request.Builder request(HttpUrl url) {
        return new Request.Builder().url(url)
                .header("Authorization", credentials.authorizationHeaderValue())
                .header("Accept", "application/json");
    }

    private RequestBody jsonBody(JsonNode body, boolean oneShot) {
        byte[] bytes = json.write(body).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (!oneShot) {
            return RequestBody.create(bytes, JSON);
        }
        return new RequestBody() {
            @Override
            public MediaType contentType() {
                return JSON;
            }

            @Override
            public long contentLength() {
                return bytes.length;
            }

            @Override
            public boolean isOneShot() {
                return true;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                sink.write(bytes);
            }
        };
    }

    private AwxResponse send(Request request, String what, boolean retryable) {
        return retry.run(request.method() + " " + request.url().encodedPath(), what, retryable, () -> {
            long started = System.nanoTime();
            try {
                AwxResponse response = once(request, what);
                heard(request, response.isSuccessful() ? "success" : "http_" + response.code(), started);
                return response;
            } catch (AutomationException e) {
                heard(request, e.errorCode(), started);
                throw e;
            }
        });
    }

    private void heard(Request request, String outcome, long startedNanos) {
        try {
            listener.onRequest(new AwxRequestListener.Request(request.method(), endpoint(request.url()), outcome,
                    Duration.ofNanos(System.nanoTime() - startedNanos)));
        } catch (RuntimeException e) {
            log.warn("AWX request listener failed; ignored", e);
        }
    }

    /** The path below the API root with numeric ids replaced, e.g. {@code jobs/{id}/cancel/}. */
    private String endpoint(HttpUrl url) {
        String path = url.encodedPath();
        HttpUrl root = apiRoot.get();
        String prefix = root == null ? null : root.encodedPath();
        if (prefix != null && path.startsWith(prefix)) {
            path = path.substring(prefix.length());
        }
        return path.replaceAll("/[0-9]+(?=/|$)", "/{id}").replaceAll("^[0-9]+(?=/)", "{id}");
    }

    private AwxResponse once(Request request, String what) {
        String target = request.method() + " " + request.url().encodedPath();
        long started = System.nanoTime();
        try (Response response = client.newCall(request).execute()) {
            int code = response.code();
            String body = readBody(response, target, what);
            log.debug("AWX {} -> {} in {} ms", target, code, (System.nanoTime() - started) / 1_000_000);
            String contentType = response.header("Content-Type", "");
            @Nullable JsonNode tree = isJson(contentType) ? parse(body) : null;
            if (code >= 300 && code < 400) {
                String location = response.header("Location");
                throw AutomationException.notTaken(AwxErrorCodes.REDIRECTED, "AWX redirected " + target
                        + " (" + what + ", HTTP " + code + ") to " + (location == null ? "another page"
                        : AwxMessages.bounded(location, 200)) + "; AWX is probably being upgraded or in"
                        + " maintenance", null, null);
            }
            if (code == 429) {
                Duration retryAfter = RetryAfter.parse(response.header("Retry-After"), clock);
                throw AutomationException.notTaken(AwxErrorCodes.RATE_LIMITED, "AWX answered 429 Too Many Requests"
                        + " to " + target + " (" + what + ")" + (retryAfter == null ? ""
                        : "; retry after " + retryAfter.toSeconds() + " s"), retryAfter, null);
            }
            if (code >= 500) {
                String messages = AwxMessages.fieldMessages(tree);
                String message = redact("AWX answered " + code + " to " + target + " (" + what + ")"
                        + (messages == null ? "" : ": " + messages));
                // 503: AWX (or its proxy) declined the request; 500, 502, 504: it may have been processed all the same
                throw code == 503 ? AutomationException.notTaken(AwxErrorCodes.UNAVAILABLE, message, null, null)
                        : AutomationException.transientFailure(AwxErrorCodes.UNAVAILABLE, message, null);
            }
            if (code == 401) {
                throw AutomationException.permanent(AwxErrorCodes.UNAUTHORIZED, "AWX refused the credentials (401)"
                        + " for " + target + " (" + what + "): the " + (credentials.username() == null
                        ? "token is invalid or expired; set a valid AWX token"
                        : "user name or password is wrong, or the user is disabled; set valid AWX credentials"));
            }
            if (code == 403) {
                String messages = AwxMessages.fieldMessages(tree);
                throw AutomationException.permanent(AwxErrorCodes.FORBIDDEN, redact("AWX denied " + target + " ("
                        + what + ", 403): the AWX user of the " + (credentials.username() == null ? "token" : "runner")
                        + " lacks the permission" + (messages == null ? "" : " (" + messages + ")")));
            }
            if (code >= 200 && code < 300) {
                if (!body.isBlank() && !isJson(contentType)) {
                    throw AutomationException.transientFailure(AwxErrorCodes.NOT_JSON, "AWX answered " + target
                            + " (" + what + ") with " + (contentType.isBlank() ? "no content type"
                            : AwxMessages.bounded(contentType, 80)) + " instead of JSON; a proxy, login or"
                            + " maintenance page is in front of AWX", null);
                }
                if (!body.isBlank() && tree == null) {
                    throw AutomationException.transientFailure(AwxErrorCodes.MALFORMED_RESPONSE, "AWX answered "
                            + target + " (" + what + ") with malformed JSON", null);
                }
            }
            return new AwxResponse(code, tree, request.method(), request.url().encodedPath());
        } catch (SSLPeerUnverifiedException | SSLHandshakeException e) {
            throw AutomationException.notTaken(AwxErrorCodes.UNREACHABLE, "TLS handshake with AWX failed for "
                    + target + " (" + what + "): " + e.getMessage() + "; if AWX uses a private CA, configure its"
                    + " trust material", null, e);
        } catch (InterruptedIOException e) {
            throw AutomationException.transientFailure(AwxErrorCodes.TIMEOUT, "AWX did not answer " + target + " ("
                    + what + ") in time (read timeout " + readTimeout.toMillis() + " ms)", e);
        } catch (IOException e) {
            String message = "could not reach AWX for " + target + " (" + what + "): " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage());
            // no connection was made, so nothing was sent; any other failure may come after the request was sent
            boolean notSent = e instanceof ConnectException || e instanceof UnknownHostException
                    || e instanceof NoRouteToHostException;
            throw notSent ? AutomationException.notTaken(AwxErrorCodes.UNREACHABLE, message, null, e)
                    : AutomationException.transientFailure(AwxErrorCodes.UNREACHABLE, message, e);
        }
    }

    /**
     * Reads an answer's body, never more than {@link #MAX_BODY_BYTES}: a declared length over it fails before
     * anything is read; a body without one (chunked) is buffered up to the cap plus one byte, and fails if that byte
     * arrives.
     *
     * @throws AutomationException {@link AwxErrorCodes#RESPONSE_TOO_LARGE} (transient), naming the size and path
     */
    private static String readBody(Response response, String target, String what) throws IOException {
        ResponseBody body = response.body();
        long length = body.contentLength();
        if (length > MAX_BODY_BYTES) {
            throw tooLarge(target, what, length + " bytes (Content-Length)");
        }
        if (body.source().request(MAX_BODY_BYTES + 1)) {
            throw tooLarge(target, what, "more than " + MAX_BODY_BYTES + " bytes (no Content-Length; reading stopped"
                    + " there)");
        }
        return body.string();
    }

    private static AutomationException tooLarge(String target, String what, String size) {
        return AutomationException.transientFailure(AwxErrorCodes.RESPONSE_TOO_LARGE, "AWX answered " + target
                + " (" + what + ") with " + size + "; the runner reads at most " + MAX_BODY_BYTES + " bytes (32 MiB):"
                + " a proxy may be answering instead of AWX, or a page is unusually large", null);
    }

    private @Nullable JsonNode parse(String body) {
        if (body.isBlank()) {
            return null;
        }
        try {
            return json.parse(body);
        } catch (JacksonException e) {
            return null;
        }
    }

    private static boolean isJson(String contentType) {
        MediaType type = MediaType.parse(contentType);
        if (type == null) {
            return false;
        }
        String subtype = type.subtype().toLowerCase(Locale.ROOT);
        return type.type().equalsIgnoreCase("application") && (subtype.equals("json") || subtype.endsWith("+json"));
    }
}
