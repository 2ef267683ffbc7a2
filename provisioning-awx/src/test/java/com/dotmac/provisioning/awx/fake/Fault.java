package com.dotmac.provisioning.awx.fake;

import java.util.Objects;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;

/**
 * A fault the fake AWX answers with instead of its normal answer, as seen in the field: 5xx from the proxy in front
 * of AWX, 429 from a gateway, a reset connection, no answer (read timeout), a redirect to an HTML maintenance page,
 * a non-JSON page, malformed JSON, or an error status. Immutable and thread-safe.
 */
public final class Fault {
    private final String name;
    private final MockResponse response;
    private final boolean afterProcessing;

    private Fault(String name, MockResponse response, boolean afterProcessing) {
        this.name = name;
        this.response = response;
        this.afterProcessing = afterProcessing;
    }

    /**
     * @param code an HTTP status (5xx answer as nginx or AWX would)
     * @return that status
     */
    public static Fault status(int code) {
        MockResponse.Builder b = new MockResponse.Builder().code(code);
        if (code == 502 || code == 504) {
            b.setHeader("Content-Type", "text/html").body("<html><head><title>" + code + " Bad Gateway</title></head>"
                    + "<body><center><h1>" + code + " Bad Gateway</h1></center><hr><center>nginx</center></body></html>");
        } else {
            b.setHeader("Content-Type", "application/json").body(code == 503
                    ? "{\"detail\": \"Service Unavailable\"}" : "{\"detail\": \"A server error has occurred.\"}");
        }
        return new Fault("HTTP " + code, b.build(), false);
    }

    /**
     * @param seconds the {@code Retry-After} value
     * @return 429 Too Many Requests with {@code Retry-After}
     */
    public static Fault tooManyRequests(long seconds) {
        return new Fault("429 Retry-After " + seconds, new MockResponse.Builder().code(429)
                .setHeader("Retry-After", String.valueOf(seconds)).setHeader("Content-Type", "application/json")
                .body("{\"detail\": \"Request was throttled.\"}").build(), false);
    }

    /** @return the connection is closed before an answer */
    public static Fault connectionReset() {
        return new Fault("connection reset", new MockResponse.Builder()
                .onResponseStart(new SocketEffect.CloseSocket(true, false, false)).build(), false);
    }

    /** @return no answer at all: the client's read timeout fires */
    public static Fault readTimeout() {
        return new Fault("read timeout", new MockResponse.Builder()
                .onResponseStart(SocketEffect.Stall.INSTANCE).build(), false);
    }

    /** @return 302 to an HTML maintenance page, as AWX answers during upgrades */
    public static Fault redirectToHtml() {
        return new Fault("302 to HTML", new MockResponse.Builder().code(302)
                .setHeader("Location", "/maintenance.html").setHeader("Content-Type", "text/html")
                .body("<html><body>AWX is being upgraded. This page will refresh when complete.</body></html>")
                .build(), false);
    }

    /** @return 200 with an HTML page (a proxy's login page) */
    public static Fault htmlPage() {
        return new Fault("200 HTML", new MockResponse.Builder().code(200).setHeader("Content-Type", "text/html")
                .body("<!DOCTYPE html><html><body><form action=\"/login\">Sign in</form></body></html>").build(),
                false);
    }

    /** @return 200 with truncated JSON */
    public static Fault malformedJson() {
        return new Fault("malformed JSON", new MockResponse.Builder().code(200)
                .setHeader("Content-Type", "application/json").body("{\"count\": 3, \"results\": [{\"id\": 1,")
                .build(), false);
    }

    /** @return 401 as AWX answers a bad token */
    public static Fault unauthorized() {
        return new Fault("401", new MockResponse.Builder().code(401).setHeader("Content-Type", "application/json")
                .setHeader("WWW-Authenticate", "Bearer realm=api authorization_url=/api/o/authorize/")
                .body("{\"detail\": \"Authentication credentials were not provided. To establish a login session,"
                        + " visit /api/login/.\"}").build(), false);
    }

    /** @return 403 as AWX answers a user without permission */
    public static Fault forbidden() {
        return json(403, "{\"detail\": \"You do not have permission to perform this action.\"}");
    }

    /** @return 404 as AWX answers an unknown object */
    public static Fault notFound() {
        return json(404, "{\"detail\": \"Not found.\"}");
    }

    /**
     * @param code a status
     * @param body a JSON body
     * @return that answer
     */
    public static Fault json(int code, String body) {
        return new Fault("HTTP " + code, new MockResponse.Builder().code(code)
                .setHeader("Content-Type", "application/json").body(body).build(), false);
    }

    /**
     * @param name what the fault is, for messages
     * @param response any answer
     * @return a fault answering {@code response}
     */
    public static Fault of(String name, MockResponse response) {
        return new Fault(name, response, false);
    }

    /**
     * @return this fault, answered after the fake has processed the request (a launch creates its job, a create
     *     creates its object): what a client sees when the answer of a request that succeeded is lost
     */
    public Fault afterProcessing() {
        return new Fault(name + " after processing", response, true);
    }

    /** @return whether the request is processed before the fault is answered */
    public boolean isAfterProcessing() {
        return afterProcessing;
    }

    MockResponse response() {
        return response;
    }

    @Override
    public String toString() {
        return Objects.requireNonNull(name);
    }
}
