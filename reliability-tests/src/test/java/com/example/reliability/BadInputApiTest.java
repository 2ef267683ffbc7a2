package com.example.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.reliability.support.Figures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Bad input against a real server ({@link ReliabilityPlatform} on a random port, HTTP Basic, embedded PostgreSQL,
 * fake AWX): ids, slugs, Jinja in values, reserved keys, huge bodies, wrong types, unknown enums, key material in a
 * connection profile, SQL and shell metacharacters, unicode, missing bodies; and what the host's allow-lists refuse
 * (the Ansible content's settings, undeclared variables, control and bidi characters, template overrides, another
 * tenant's credential). Each must be answered with a 4xx
 * {@code application/problem+json} whose {@code errors[].field} names the field, store nothing (no job, no event),
 * and leave the tenant's status alone.
 */
@Tag("reliability")
@Tag("bad-input")
@SpringBootTest(classes = ReliabilityPlatform.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class BadInputApiTest {
    private static final String TENANT = "acme";
    private static final String JOBS = "/api/v1/tenants/" + TENANT + "/provisioning/jobs";
    private static final String OK_PROFILE =
            "\"host\": \"203.0.113.7\", \"user\": \"deploy\", \"credential_ref\": \"7\"";
    private static final PlatformUnderTest PLATFORM = new PlatformUnderTest("badinput");
    private static final Map<String, String> ANSWERS = new TreeMap<>();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        PLATFORM.register(r);
        r.add("provisioning.awx.token", () -> FakeAwx.TOKEN);
    }

    @LocalServerPort
    int port;

    private static Api api;

    @BeforeEach
    void client() {
        if (api == null) {
            api = new Api(port);
        }
        if (PLATFORM.db.rows("SELECT id FROM tenants WHERE id = ?", TENANT).isEmpty()) {
            PLATFORM.db.insertTenant(TENANT, "new");
            PLATFORM.db.insertTenant("acme-control", "new");
        }
    }

    @AfterAll
    static void figures() {
        Figures figures = new Figures("bad-input").put("cases", ANSWERS.size());
        ANSWERS.forEach(figures::put);
        figures.save();
    }

    /**
     * A bad request and the field its answer must name.
     *
     * @param name what is wrong
     * @param method the method
     * @param path the path and query
     * @param body the body, or null
     * @param status the 4xx expected
     * @param field the field the problem must name
     * @param headers extra headers
     */
    record BadInput(String name, String method, String path, @Nullable String body, int status, String field,
            String... headers) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<BadInput> cases() {
        List<BadInput> c = new ArrayList<>();
        // the body as a whole
        c.add(post("body is not JSON", "{not json", "body"));
        c.add(post("body is a JSON array", "[1, 2]", "body"));
        c.add(post("body is a JSON string", "\"dotmac_hosted\"", "body"));
        c.add(new BadInput("no body", "POST", JOBS, null, 400, "body"));
        c.add(new BadInput("body larger than 256 KiB", "POST", JOBS, body("\"extra_vars\": {\"x\": \""
                + "a".repeat(300_000) + "\"}"), 413, "body"));
        c.add(new BadInput("Content-Type text/plain", "POST", JOBS, "deployment_mode=dotmac_hosted", 400, "body",
                "Content-Type", "text/plain"));
        c.add(post("unknown field", body("\"deployment_mod\": \"x\""), "deployment_mod"));
        // enums and types
        c.add(post("no deployment_mode", "{}", "deployment_mode"));
        c.add(post("deployment_mode is a number", "{\"deployment_mode\": 7}", "deployment_mode"));
        c.add(post("unknown deployment_mode", "{\"deployment_mode\": \"on_mars\"}", "deployment_mode"));
        c.add(post("deployment_mode with a Cyrillic o", "{\"deployment_mode\": \"dotmac_h\u043ested\"}",
                "deployment_mode"));
        c.add(post("unknown operation", body("\"operation\": \"explode\""), "operation"));
        c.add(post("operation is a boolean", body("\"operation\": true"), "operation"));
        c.add(post("awx_template_id is a string", body("\"awx_template_id\": \"14\""), "awx_template_id"));
        c.add(post("awx_template_id is negative", body("\"awx_template_id\": -3"), "awx_template_id"));
        c.add(post("awx_template_id is a fraction", body("\"awx_template_id\": 1.5"), "awx_template_id"));
        c.add(post("awx_template_id exceeds a long", body("\"awx_template_id\": 99999999999999999999"),
                "awx_template_id"));
        // extra vars
        c.add(post("extra_vars is an array", body("\"extra_vars\": [1]"), "extra_vars"));
        c.add(post("Jinja expression in a value", body("\"extra_vars\": {\"x\": \"{{ lookup('pipe', 'id') }}\"}"),
                "extra_vars.x"));
        c.add(post("Jinja statement in a list item", body("\"extra_vars\": {\"sites\": [\"a\", \"{% for h in "
                + "groups.all %}\"]}"), "extra_vars.sites[1]"));
        c.add(post("Jinja comment in a nested value", body("\"extra_vars\": {\"db\": {\"name\": \"{# x #}\"}}"),
                "extra_vars.db.name"));
        c.add(post("reserved key tenant_id", body("\"extra_vars\": {\"tenant_id\": \"other\"}"),
                "extra_vars.tenant_id"));
        c.add(post("reserved key platform_callback_token", body("\"extra_vars\": {\"platform_callback_token\": "
                + "\"x\"}"), "extra_vars.platform_callback_token"));
        c.add(post("reserved prefix ansible_", body("\"extra_vars\": {\"ansible_ssh_pass\": \"x\"}"),
                "extra_vars.ansible_ssh_pass"));
        c.add(post("key is not an identifier", body("\"extra_vars\": {\"bad-key\": 1}"), "extra_vars.bad-key"));
        c.add(post("SQL in a key", body("\"extra_vars\": {\"x'); DROP TABLE tenants; --\": 1}"),
                "extra_vars.x'); DROP TABLE tenants; --"));
        c.add(post("unicode key", body("\"extra_vars\": {\"r\u00e9gion\": \"eu\"}"), "extra_vars.r\u00e9gion"));
        c.add(post("NUL character in a value", body("\"extra_vars\": {\"x\": \"a\\u0000b\"}"), "extra_vars.x"));
        c.add(post("value longer than 4096 characters", body("\"extra_vars\": {\"x\": \"" + "v".repeat(5000)
                + "\"}"), "extra_vars.x"));
        c.add(post("more than 64 keys", body("\"extra_vars\": {" + IntStream.range(0, 65).mapToObj(i -> "\"k" + i
                + "\": 1").collect(Collectors.joining(", ")) + "}"), "extra_vars"));
        c.add(post("nested deeper than 5 levels", body("\"extra_vars\": {\"a\": {\"b\": {\"c\": {\"d\": {\"e\": "
                + "{\"f\": 1}}}}}}"), "extra_vars.a.b.c.d.e"));
        // connection profiles
        c.add(post("customer_hosted without a connection profile", "{\"deployment_mode\": \"customer_hosted\"}",
                "connection_profile"));
        c.add(post("dotmac_hosted with a connection profile", body("\"connection_profile\": {" + OK_PROFILE + "}"),
                "connection_profile"));
        c.add(post("SSH private key in the profile", profile(OK_PROFILE + ", \"ssh_private_key\": \"-----BEGIN "
                + "OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAA\\n-----END OPENSSH PRIVATE KEY-----\""),
                "connection_profile.ssh_private_key"));
        c.add(post("password in the profile", profile(OK_PROFILE + ", \"password\": \"hunter2hunter2\""),
                "connection_profile.password"));
        c.add(post("key material as credential_ref", profile("\"host\": \"203.0.113.7\", \"user\": \"deploy\", "
                + "\"credential_ref\": \"-----BEGIN RSA PRIVATE KEY-----MIIEowIBAAKCAQEA\""),
                "connection_profile.credential_ref"));
        c.add(post("shell metacharacters in the host", profile("\"host\": \"h.example.com; rm -rf /\", \"user\": "
                + "\"deploy\", \"credential_ref\": \"7\""), "connection_profile.host"));
        c.add(post("port out of range", profile(OK_PROFILE + ", \"port\": 70000"), "connection_profile.port"));
        c.add(post("port as a string", profile(OK_PROFILE + ", \"port\": \"22\""), "connection_profile.port"));
        c.add(post("command substitution in the user", profile("\"host\": \"203.0.113.7\", \"user\": \"root$(id)\", "
                + "\"credential_ref\": \"7\""), "connection_profile.user"));
        c.add(post("bastion is not an object", profile(OK_PROFILE + ", \"bastion\": \"jump.example.com\""),
                "connection_profile.bastion"));
        // release versions
        c.add(post("upgrade without release_version", body("\"operation\": \"upgrade\""), "release_version"));
        c.add(post("shell in release_version", body("\"operation\": \"upgrade\", \"release_version\": \"1.0; rm -rf "
                + "/\""), "release_version"));
        c.add(post("decommission with a release_version", body("\"operation\": \"decommission\", "
                + "\"release_version\": \"1.0.0\""), "release_version"));
        // ids in the path and headers
        c.add(new BadInput("SQL in the tenant id", "POST", "/api/v1/tenants/t1'%20OR%20'1'='1/provisioning/jobs",
                body(""), 400, "tenant_id"));
        c.add(new BadInput("tenant id longer than 64 characters", "POST", "/api/v1/tenants/" + "t".repeat(65)
                + "/provisioning/jobs", body(""), 400, "tenant_id"));
        c.add(new BadInput("unicode tenant id", "POST", "/api/v1/tenants/ten%C3%A4nt/provisioning/jobs", body(""),
                400, "tenant_id"));
        c.add(new BadInput("Idempotency-Key longer than 255 characters", "POST", JOBS, body(""), 400,
                "idempotency_key", "Idempotency-Key", "k".repeat(300)));
        c.add(new BadInput("Jinja in the Idempotency-Key", "POST", JOBS, body(""), 400, "idempotency_key",
                "Idempotency-Key", "{{ 7 * 7 }}"));
        // the host's allow-lists (a request must not steer the host)
        c.add(post("the exploit: compose command run on the shared host", body("\"extra_vars\": {"
                + "\"tenant_stack_start\": true, \"tenant_docker_compose_command\": [\"sh\", \"-c\", \"id > pwned\", "
                + "\"x\"]}"), "extra_vars.tenant_docker_compose_command"));
        c.add(setting("proxy reload command", "tenant_proxy_reload_command", "[\"sh\", \"-c\", \"id\"]"));
        c.add(setting("workspace root that decommission deletes", "tenant_workspace_root", "\"/\""));
        c.add(setting("proxy site file outside the workspace", "tenant_proxy_site_file",
                "\"/etc/nginx/nginx.conf\""));
        c.add(setting("nginx directives in the public hostname", "tenant_public_hostname",
                "\"x.example.com;\\n location /x { alias /etc/; }\""));
        c.add(setting("purge a tenant's data", "tenant_stack_purge_data", "true"));
        c.add(setting("become switched off", "tenant_become", "false"));
        c.add(setting("a fact that skips the ownership check", "tenant_existing_metadata", "{}"));
        c.add(setting("callback TLS verification off", "tenant_callback_validate_certs", "false"));
        c.add(setting("the callback URL", "platform_callback_url", "\"https://collector.example.net\""));
        c.add(setting("an undeclared variable", "seats", "5"));
        c.add(setting("an undeclared variable with an innocent name", "ssh_args", "\"-o ProxyCommand=id\""));
        c.add(setting("a value outside the declared ones", "plan", "\"diamond\""));
        c.add(setting("a list where a string is declared", "note", "[\"a\"]"));
        c.add(setting("a string where a list is declared", "sites", "\"a,b\""));
        c.add(setting("a number in a list of strings", "sites", "[\"a\", 7]"));
        // control characters in a declared single-line value
        c.add(setting("line feed", "note", "\"a\\nb\""));
        c.add(setting("carriage return", "note", "\"a\\rb\""));
        c.add(setting("tab", "note", "\"a\\tb\""));
        c.add(setting("escape sequence", "note", "\"\\u001b[2J\""));
        c.add(setting("C1 control", "note", "\"a\\u0085b\""));
        c.add(setting("bidi override", "region_label", "\"abc\\u202Edef\""));
        c.add(setting("bidi isolate", "region_label", "\"a\\u2066b\\u2069\""));
        c.add(setting("line separator", "region_label", "\"a\\u2028b\""));
        c.add(setting("byte-order mark", "region_label", "\"\\uFEFFeu\""));
        c.add(setting("lone surrogate", "region_label", "\"a\\uD800b\""));
        // templates and credentials
        c.add(post("a template override nobody allowed", body("\"awx_template_id\": 99"), "awx_template_id"));
        c.add(post("the configured template as an override", body("\"awx_template_id\": "
                + FakeAwx.PROVISION_TEMPLATE), "awx_template_id"));
        c.add(post("an unregistered credential", profile(OK_PROFILE), "connection_profile.credential_ref"));
        c.add(post("another tenant's credential", profile("\"host\": \"203.0.113.7\", \"user\": \"deploy\", "
                + "\"credential_ref\": \"ctl-ssh\""), "connection_profile.credential_ref"));
        c.add(post("a bound credential sent to another host", profile("\"host\": \"collector.example.net\", "
                + "\"user\": \"deploy\", \"credential_ref\": \"acme-pw\""), "connection_profile.host"));
        // list parameters
        c.add(new BadInput("page_size 0", "GET", JOBS + "?page_size=0", null, 400, "page_size"));
        c.add(new BadInput("page_size 101", "GET", JOBS + "?page_size=101", null, 400, "page_size"));
        c.add(new BadInput("page is not a number", "GET", JOBS + "?page=abc", null, 400, "page"));
        return c;
    }

    /** An extra var the request may not set (or not to this value): the answer names it. */
    private static BadInput setting(String name, String key, String json) {
        return post(name, body("\"extra_vars\": {\"" + key + "\": " + json + "}"), "extra_vars." + key);
    }

    private static BadInput post(String name, String body, String field) {
        return new BadInput(name, "POST", JOBS, body, 400, field);
    }

    /** A valid dotmac_hosted body with more fields. */
    private static String body(String more) {
        return "{\"deployment_mode\": \"dotmac_hosted\"" + (more.isEmpty() ? "" : ", " + more) + "}";
    }

    private static String profile(String fields) {
        return "{\"deployment_mode\": \"customer_hosted\", \"connection_profile\": {" + fields + "}}";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedNamingTheFieldAndStoresNothing(BadInput c) {
        long jobs = PLATFORM.jobRows();
        long events = PLATFORM.eventRows();
        String status = PLATFORM.db.tenantStatus(TENANT);

        Api.Reply reply = api.call(c.method(), c.path(), c.body(), c.headers());

        assertThat(reply.status()).as("%s: %s", c.name(), reply.body()).isEqualTo(c.status());
        assertThat(reply.contentType()).as(c.name()).startsWith("application/problem+json");
        assertThat(reply.errorFields()).as("%s: %s", c.name(), reply.body()).contains(c.field());
        assertThat(PLATFORM.jobRows()).as("jobs stored after %s", c.name()).isEqualTo(jobs);
        assertThat(PLATFORM.eventRows()).as("events stored after %s", c.name()).isEqualTo(events);
        assertThat(PLATFORM.db.tenantStatus(TENANT)).as("tenant status after %s", c.name()).isEqualTo(status);
        ANSWERS.put(c.name(), reply.status() + " " + c.field());
    }

    /** The same endpoint accepts a good request, so the refusals above are about the input. */
    @Test
    void aGoodRequestIsAccepted() {
        long jobs = PLATFORM.jobRows();
        Api.Reply reply = api.call("POST", "/api/v1/tenants/acme-control/provisioning/jobs", body(
                "\"extra_vars\": {\"region_label\": \"Z\u00fcrich \u2713\", \"note\": \"O'Brien; DROP TABLE x\"}"));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        assertThat(reply.json().get("extra_vars")).isEqualTo(Map.of("region_label", "Z\u00fcrich \u2713",
                "note", "O'Brien; DROP TABLE x"));
        assertThat(PLATFORM.jobRows()).isEqualTo(jobs + 1);
    }
}
