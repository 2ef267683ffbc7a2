package com.dotmac.provisioning.examples.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The example platform serves the operator console behind a login form (a session, CSRF tokens), while its REST API
 * stays stateless HTTP Basic.
 */
@SpringBootTest(classes = ExamplePlatformApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.datasource.url=jdbc:h2:mem:example-smoke;DB_CLOSE_DELAY=-1",
            "provisioning.runner=scripted", "example.demo-tenant.enabled=false",
            "provisioning.engine.poll-interval=100ms", "provisioning.engine.sweep-interval=50ms"})
class ExamplePlatformConsoleTest {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    @LocalServerPort
    int port;

    private final HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private HttpResponse<String> get(String path) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theConsoleIsBehindTheLoginFormAndShowsTheOverview() throws Exception {
        HttpResponse<String> anonymous = get("/provisioning-console/");
        assertThat(anonymous.statusCode()).isEqualTo(302);
        assertThat(anonymous.headers().firstValue("Location").orElse("")).endsWith("/login");

        Matcher token = CSRF.matcher(get("/login").body());
        assertThat(token.find()).isTrue();
        String form = "username=viewer&password=viewer-demo-password&_csrf="
                + URLEncoder.encode(token.group(1), StandardCharsets.UTF_8);
        HttpResponse<String> login = browser.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/login")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(302);

        HttpResponse<String> overview = get("/provisioning-console/");
        assertThat(overview.statusCode()).isEqualTo(200);
        assertThat(overview.body()).contains("Jobs by status").contains("Runner health");
        assertThat(new PlatformClient(port).call("GET", "/api/v1/tenants/nobody", "viewer", "viewer-demo-password",
                null).statusCode()).isEqualTo(404);
    }

    @Test
    void theConsolesEventStreamsAreBehindItsLoginNotTheApisBasicPassword() throws Exception {
        String stream = "/provisioning-console/jobs/no-such-job/stream";
        HttpResponse<String> anonymous = get(stream);
        assertThat(anonymous.statusCode()).isEqualTo(302);
        assertThat(anonymous.headers().firstValue("Location").orElse("")).endsWith("/login");
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(
                "viewer:viewer-demo-password".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> withBasic = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()
                .send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + stream))
                        .header("Authorization", basic).header("Accept", "text/event-stream").build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(withBasic.statusCode()).isEqualTo(302);

        Matcher token = CSRF.matcher(get("/login").body());
        assertThat(token.find()).isTrue();
        String form = "username=viewer&password=viewer-demo-password&_csrf="
                + URLEncoder.encode(token.group(1), StandardCharsets.UTF_8);
        assertThat(browser.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(302);
        HttpResponse<String> missing = browser.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + stream)).header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    @Test
    void theLoginFormsStylesheetAndIconNeverAskForABasicPassword() throws Exception {
        HttpResponse<String> css = get("/default-ui.css");
        assertThat(css.statusCode()).isEqualTo(200);
        HttpResponse<String> icon = get("/favicon.ico");
        assertThat(icon.statusCode()).isNotEqualTo(401);
        assertThat(icon.headers().firstValue("WWW-Authenticate")).isEmpty();
    }
}
