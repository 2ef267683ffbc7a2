package com.dotmac.provisioning.awx;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.PlaybookVariables;
import com.dotmac.provisioning.awx.fake.Fault;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.RecordedCall;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.spi.AutomationException;
import com.dotmac.provisioning.spi.LaunchSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Authentication as sent, and secrets (token, password, callback token) never in logs, exceptions or toString. */
class AwxSecretsTest extends FakeAwxTest {
    private static final String USER = "svc-provisioning";
    private static final String PASSWORD = "Pa55-w0rd-9f2e71c4";
    private static final String CALLBACK_TOKEN = "cb-token-0d1e2f3a4b5c6d7e";

    @Test
    void aTokenIsSentAsBearer() {
        runner().launch(Specs.dotmacHosted("acme"));

        assertThat(fake.calls()).isNotEmpty().extracting(RecordedCall::authorization)
                .containsOnly("Bearer " + FakeAwx.TOKEN);
    }

    @Test
    void aUserAndPasswordAreSentAsBasic() {
        fake.requireBasic(USER, PASSWORD);

        runner(b -> b.basicAuth(USER, PASSWORD)).launch(Specs.dotmacHosted("acme"));

        String expected = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        assertThat(fake.calls()).isNotEmpty().extracting(RecordedCall::authorization).containsOnly(expected);
        assertThat(fake.launches()).hasSize(1);
    }

    @Test
    void noSecretIsLoggedThrownOrShownWithAToken() {
        assertNoSecretLeaks(runner(), FakeAwx.TOKEN);
    }

    @Test
    void noSecretIsLoggedThrownOrShownWithAPassword() {
        fake.requireBasic(USER, PASSWORD);
        String encoded = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));

        assertNoSecretLeaks(runner(b -> b.basicAuth(USER, PASSWORD)), PASSWORD, encoded);
    }

    private void assertNoSecretLeaks(AwxAutomationRunner runner, String... secrets) {
        List<String> texts = new ArrayList<>();
        try (LogCapture logs = new LogCapture()) {
            LaunchSpec spec = Specs.withVar(Specs.dotmacHosted("acme"), PlaybookVariables.PLATFORM_CALLBACK_TOKEN,
                    CALLBACK_TOKEN);
            fake.script(spec.correlationId(), RunScript.failAfter(0, "Report to the platform", "dc1-control-01",
                    "Status code was 401 and not [204]: HTTP Error 401: Unauthorized"));
            String runId = runner.launch(spec).runId();
            texts.add(runner.poll(List.of(runId)).get(runId).detail());
            runner.findRuns(spec);
            runner.cancel(runId);
            texts.add(String.join("\n", runner.health().problems()));

            fake.failNext(3, Fault.status(503), "GET", "jobs/");
            texts.add(failure(() -> runner.poll(List.of(runId))).getMessage());
            fake.failNext(1, Fault.unauthorized());
            texts.add(failure(() -> runner.launch(spec)).getMessage());
            fake.failNext(1, Fault.readTimeout(), "POST", "job_templates/\\d+/launch/");
            AutomationException timeout = failure(() -> runner.launch(spec));
            texts.add(timeout.getMessage() + " " + timeout);
            fake.template(FakeAwx.PROVISION_TEMPLATE).askVariablesOnLaunch(false);
            texts.add(failure(() -> runner.launch(spec)).getMessage());

            texts.add(runner.toString());
            texts.add(runner.config().toString());
            texts.add(runner.config().credentials().toString());
            texts.add(spec.toString());
            texts.add(logs.text());
            assertThat(logs.events()).isNotEmpty();
        }
        String all = String.join("\n", texts);
        assertThat(all).contains("AWX").contains("401");
        for (String secret : secrets) {
            assertThat(all).doesNotContain(secret);
        }
        assertThat(all).doesNotContain(CALLBACK_TOKEN);
    }

    @Test
    void credentialsRedactTheirSecretFromText() {
        AwxCredentials token = AwxCredentials.bearerToken(FakeAwx.TOKEN);

        assertThat(token.redact("echo " + FakeAwx.TOKEN + " and " + token.authorizationHeaderValue()))
                .doesNotContain(FakeAwx.TOKEN);
        assertThat(token.toString()).isEqualTo("AwxCredentials[bearer token, hidden]");
        AwxCredentials basic = AwxCredentials.basic(USER, PASSWORD);
        String encodedPair = basic.authorizationHeaderValue().substring("Basic ".length());
        assertThat(basic.redact("header " + basic.authorizationHeaderValue() + ", pair " + encodedPair + ", password "
                + PASSWORD)).isEqualTo("header Basic [redacted], pair [redacted], password [redacted]");
        assertThat(AwxCredentials.basic(USER, PASSWORD).toString()).contains(USER).doesNotContain(PASSWORD);
    }
}
