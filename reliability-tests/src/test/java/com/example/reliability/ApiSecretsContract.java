package com.example.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.PlaybookVariables;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.awx.fake.LaunchRecord;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.reliability.support.CapturedLogs;
import com.dotmac.provisioning.reliability.support.Figures;
import com.dotmac.provisioning.reliability.support.SecretScan;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The REST lifecycle on a real server with every logger at DEBUG: provision with the playbook's callback (a forged
 * token refused, the real one accepted), a conflict, an upgrade whose failed task echoes the AWX credentials, a
 * retry that is cancelled, a retry that succeeds, a decommission, and error answers (400, 404, 409, 413), among them
 * refusals of a callback that would rewrite the run's artifacts and of a request naming a host setting. No response
 * body or header, no log line (including the context's start), and no value of any column of any table may hold the
 * AWX token or password, the callback secret, a job's callback token, the operator's password, or what was refused.
 * Subclasses choose how the runner authenticates to AWX.
 */
@SpringBootTest(classes = ReliabilityPlatform.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
abstract class ApiSecretsContract {
    /** A marker in refused input: refusals name fields and keys, never the values. */
    private static final String REFUSED_PAYLOAD = "refused-payload-7c3e91";

    @LocalServerPort
    int port;

    @Autowired
    TenantProvisioner provisioner;

    /** @return the platform this class started */
    abstract PlatformUnderTest platform();

    /** @return the AWX secrets of this auth mode, by name, the token or password first */
    abstract Map<String, String> awxSecrets();

    /** @return the {@code Authorization} header value the runner sends to AWX */
    abstract String awxAuthorization();

    /** @return the name of this auth mode, for the figures */
    abstract String mode();

    @BeforeAll
    static void captureFromTheContextsStart() {
        CapturedLogs.arm();
    }

    @AfterAll
    static void stopCapturing() {
        CapturedLogs.disarm();
    }

    @Test
    void noSecretReachesAResponseARowOrALogLine() {
        Api api = new Api(port);
        PlatformUnderTest platform = platform();
        String tenant = "secret-" + mode();
        String jobs = "/api/v1/tenants/" + tenant + "/provisioning/jobs";
        platform.db.insertTenant(tenant, "new");
        String awxEcho = "Authorization: " + awxAuthorization() + " (credential " + awxSecrets().values().iterator()
                .next() + ")";

        platform.awx.defaultScript(RunScript.hang()); // in progress until the callback was posted
        String provision = created(api.call("POST", jobs, "{\"deployment_mode\": \"dotmac_hosted\", "
                + "\"extra_vars\": {\"plan\": \"gold\"}}"));
        awaitStatus(api, jobs, provision, "in_progress");
        String token = launchOf(provision).extraVars().get(PlaybookVariables.PLATFORM_CALLBACK_TOKEN).toString();
        assertThat(token).as("the token AWX received").isEqualTo(provisioner.callbackToken(provision));
        String callback = jobs + "/" + provision + "/callback";
        String report = "{\"tenant_id\": \"" + tenant + "\", \"provisioning_job_id\": \"" + provision
                + "\", \"status\": \"successful\", \"artifacts\": {\"tenant_url\": \"https://t.example\"}}";
        assertThat(api.anonymous("POST", callback, report, "Authorization", "Bearer " + token + "x").status())
                .isEqualTo(401);
        assertThat(api.anonymous("POST", callback, report, "Authorization", "Bearer " + token).status())
                .isEqualTo(204);
        platform.awx.forceStatus(launchOf(provision).jobId(), "successful");
        awaitStatus(api, jobs, provision, "succeeded");
        // refusals never record what was refused: a rewrite of the run's artifacts, a host setting in a request
        assertThat(api.anonymous("POST", callback, report.replace("https://t.example", "https://" + REFUSED_PAYLOAD
                + ".example"), "Authorization", "Bearer " + token).status()).isEqualTo(409);
        assertThat(api.call("POST", jobs, "{\"deployment_mode\": \"dotmac_hosted\", \"extra_vars\": "
                + "{\"tenant_workspace_root\": \"/" + REFUSED_PAYLOAD + "\", \"plan\": \"" + REFUSED_PAYLOAD
                + "\"}}").status()).isEqualTo(400);
        assertThat(api.call("GET", jobs + "/" + provision + "/events", null).status()).isEqualTo(200);
        assertThat(api.call("POST", jobs, "{\"deployment_mode\": \"dotmac_hosted\"}").status()).isEqualTo(409);

        platform.awx.defaultScript(RunScript.failAfter(1, "Call the AWX API", "localhost",
                "request had " + awxEcho));
        String upgrade = created(api.call("POST", jobs, "{\"deployment_mode\": \"dotmac_hosted\", "
                + "\"operation\": \"upgrade\", \"release_version\": \"2.0.0\"}"));
        awaitStatus(api, jobs, upgrade, "failed");
        platform.awx.defaultScript(RunScript.hang());
        String cancelled = created(api.call("POST", jobs + "/" + upgrade + "/retry", null));
        awaitStatus(api, jobs, cancelled, "in_progress");
        assertThat(api.call("POST", jobs + "/" + cancelled + "/cancel", "{\"reason\": \"wrong window\"}").status())
                .isEqualTo(202);
        awaitStatus(api, jobs, cancelled, "cancelled");
        platform.awx.defaultScript(RunScript.succeedAfter(1));
        awaitStatus(api, jobs, created(api.call("POST", jobs + "/" + cancelled + "/retry", null)), "succeeded");
        awaitStatus(api, jobs, created(api.call("POST", jobs, "{\"deployment_mode\": \"dotmac_hosted\", "
                + "\"operation\": \"decommission\"}")), "succeeded");

        assertThat(api.call("GET", jobs + "/missing", null).status()).isEqualTo(404);
        assertThat(api.call("POST", "/api/v1/tenants/nobody/provisioning/jobs", "{\"deployment_mode\": "
                + "\"dotmac_hosted\"}").status()).isEqualTo(404);
        assertThat(api.call("POST", jobs, "{\"deployment_mode\": \"dotmac_hosted\", \"extra_vars\": {\"x\": "
                + "\"{{ platform_callback_token }}\"}}").status()).isEqualTo(400);
        assertThat(api.call("POST", jobs, "{\"extra_vars\": {\"x\": \"" + "a".repeat(300_000) + "\"}}").status())
                .isEqualTo(413);
        assertThat(api.call("GET", jobs + "?page_size=100", null).status()).isEqualTo(200);

        Map<String, String> secrets = new LinkedHashMap<>(awxSecrets());
        secrets.put("callback secret", PlatformUnderTest.CALLBACK_SECRET);
        secrets.put("operator password", ReliabilityPlatform.OPERATOR_PASSWORD);
        secrets.put("operator Basic credentials", Api.basicCredentials());
        secrets.put("refused payloads", REFUSED_PAYLOAD);
        secrets.putAll(SecretScan.jobTokens(platform.db, provisioner));
        List<String> responses = new ArrayList<>();
        api.replies().forEach(r -> {
            responses.add(r.body());
            responses.add(r.headers().toString());
        });
        assertThatTheScanSeesPlantedLines();
        secrets = SecretScan.withEncodedForms(secrets);
        List<String> logs = CapturedLogs.lines();
        List<String> rows = platform.db.everyValue();
        SecretScan.assertNoSecretIn("response bodies and headers", secrets, responses);
        SecretScan.assertNoSecretIn("log lines", secrets, logs);
        SecretScan.assertNoSecretIn("column values", secrets, rows);
        new Figures("api-secrets-" + mode())
                .put("REST calls", api.replies().size())
                .put("jobs", platform.jobRows())
                .put("secrets looked for (with their Base64 and URL-encoded forms)", secrets.size())
                .put("log lines scanned (from the context's start, all loggers at DEBUG)", logs.size())
                .put("column values scanned", rows.size())
                .put("secrets found", 0)
                .save();
    }

    /**
     * The positive control: Spring reloaded the logging configuration when the context started, after the capture
     * was armed, so plant a marker now, verbatim, Base64-encoded (inside a longer value, as in a Basic header) and
     * URL-encoded, through a library logger at DEBUG, a Spring logger and a java.util.logging user, and check that
     * the scan of the captured lines finds each form.
     */
    private static void assertThatTheScanSeesPlantedLines() {
        String marker = "planted marker/" + UUID.randomUUID() + "?&=";
        String base64 = Base64.getEncoder().encodeToString(("operator:" + marker).getBytes(StandardCharsets.UTF_8));
        String urlEncoded = URLEncoder.encode(marker, StandardCharsets.UTF_8);
        LoggerFactory.getLogger("com.dotmac.provisioning.awx.internal.AwxHttp").debug("control {}", marker);
        LoggerFactory.getLogger("org.springframework.web.servlet.DispatcherServlet").debug("control Basic {}", base64);
        java.util.logging.Logger.getLogger("okhttp3.OkHttpClient").fine("control GET /?q=" + urlEncoded);
        List<String> found = SecretScan.findings(SecretScan.withEncodedForms(Map.of("marker", marker)),
                CapturedLogs.lines());
        assertThat(found).as("planted lines the scan must find, after Spring reloaded logging").hasSize(3)
                .anySatisfy(f -> assertThat(f).startsWith("marker in: "))
                .anySatisfy(f -> assertThat(f).startsWith("marker (Base64, offset "))
                .anySatisfy(f -> assertThat(f).startsWith("marker (URL-encoded"));
    }

    private static String created(Api.Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return String.valueOf(reply.json().get("id"));
    }

    private static void awaitStatus(Api api, String jobs, String id, String status) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                .until(() -> status.equals(api.call("GET", jobs + "/" + id, null).json().get("status")));
    }

    private LaunchRecord launchOf(String jobId) {
        return platform().awx.launches().stream()
                .filter(l -> jobId.equals(l.extraVars().get(PlaybookVariables.PROVISIONING_JOB_ID))).findFirst()
                .orElseThrow();
    }
}
