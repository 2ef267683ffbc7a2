package com.dotmac.provisioning.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A logged-in browser without a browser: a session cookie and the CSRF token of the host's login form. */
final class ConsoleHttp {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    private final HttpClient client;
    private final String base;

    private ConsoleHttp(int port) {
        this.client = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.base = "http://localhost:" + port;
    }

    /**
     * @param port the app's port
     * @param user who logs in
     * @param password the password
     * @return a client with that user's session
     */
    static ConsoleHttp login(int port, String user, String password) throws Exception {
        ConsoleHttp http = new ConsoleHttp(port);
        String token = csrf(http.get("/login").body());
        HttpResponse<String> r = http.post("/login", Map.of("username", user, "password", password, "_csrf", token));
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location").orElse("")).doesNotContain("error");
        return http;
    }

    /**
     * @param port the app's port
     * @return a client without a session
     */
    static ConsoleHttp anonymous(int port) {
        return new ConsoleHttp(port);
    }

    static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        assertThat(m.find()).as("a CSRF token in the page").isTrue();
        return m.group(1);
    }

    HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * @param path a path
     * @param headers header names and values, alternating (e.g. {@code Accept}, {@code text/event-stream})
     * @return the whole response (an event stream's, once the server ended it)
     */
    HttpResponse<String> get(String path, String... headers) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).headers(headers)
                .timeout(java.time.Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        return client.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
