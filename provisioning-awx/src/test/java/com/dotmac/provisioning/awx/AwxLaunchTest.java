package com.dotmac.provisioning.awx;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.ConnectionProfile;
import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.PlaybookVariables;
import com.dotmac.provisioning.awx.fake.Fault;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.LaunchRecord;
import com.dotmac.provisioning.awx.fake.RecordedCall;
import com.dotmac.provisioning.spi.AutomationException;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/** Launching: template choice, what is sent, ignored_fields, 4xx answers, and faults that are never retried. */
class AwxLaunchTest extends FakeAwxTest {
    private static final String LAUNCH = "job_templates/\\d+/launch/";

    @Test
    void sendsTheCompleteExtraVarsToTheOperationsTemplate() {
        LaunchSpec spec = Specs.dotmacHosted("acme");

        LaunchedRun run = runner().launch(spec);

        LaunchRecord launch = fake.launches().get(0);
        assertThat(launch.templateId()).isEqualTo(FakeAwx.PROVISION_TEMPLATE);
        assertThat(launch.extraVars()).isEqualTo(spec.extraVars());
        assertThat(launch.inventory()).isNull();
        assertThat(launch.credentials()).isEmpty();
        assertThat(run.runId()).isEqualTo(String.valueOf(launch.jobId()));
        assertThat(run.templateId()).isEqualTo(FakeAwx.PROVISION_TEMPLATE);
        assertThat(fake.job(Long.parseLong(run.runId())).orElseThrow().extraVars())
                .containsEntry(PlaybookVariables.PROVISIONING_JOB_ID, spec.correlationId());
    }

    @Test
    void eachOperationUsesItsTemplate() {
        AwxAutomationRunner runner = runner();

        runner.launch(Specs.spec("acme", Operation.UPGRADE, DeploymentMode.DOTMAC_HOSTED, null, null, Instant.now()));
        runner.launch(Specs.spec("acme", Operation.DECOMMISSION, DeploymentMode.DOTMAC_HOSTED, null, null,
                Instant.now()));

        assertThat(fake.launches()).extracting(LaunchRecord::templateId)
                .containsExactly(FakeAwx.UPGRADE_TEMPLATE, FakeAwx.DECOMMISSION_TEMPLATE);
    }

    @Test
    void theJobsOwnTemplateWins() {
        fake.template(99);

        LaunchedRun run = runner().launch(Specs.spec("acme", Operation.PROVISION, DeploymentMode.DOTMAC_HOSTED, null,
                99L, Instant.now()));

        assertThat(run.templateId()).isEqualTo(99L);
        assertThat(fake.launches()).extracting(LaunchRecord::templateId).containsExactly(99L);
    }

    @Test
    void aModesOverrideIsUsedForThatModeOnly() {
        fake.template(21);
        AwxAutomationRunner runner = runner(b -> b.jobTemplate(Operation.PROVISION, DeploymentMode.CUSTOMER_HOSTED, 21));

        runner.launch(Specs.customerHosted("acme", new ConnectionProfile("203.0.113.10", 22, "deploy", "17")));
        runner.launch(Specs.dotmacHosted("beta"));

        assertThat(fake.launches()).extracting(LaunchRecord::templateId).containsExactly(21L, FakeAwx.PROVISION_TEMPLATE);
    }

    @Test
    void withoutAConfiguredTemplateTheLaunchFailsPermanentlyWithoutARequest() {
        AwxAutomationRunner bare = new AwxAutomationRunner(AwxConfig.builder().baseUrl(fake.baseUrl())
                .token(FakeAwx.TOKEN).build(), sleeper, Clock.systemUTC());

        AutomationException e = failure(() -> bare.launch(Specs.dotmacHosted("acme")));

        bare.close();
        assertThat(e.isTransient()).isFalse();
        assertThat(e.errorCode()).isEqualTo(AwxErrorCodes.NO_TEMPLATE);
        assertThat(e.getMessage()).contains("provision (dotmac_hosted)");
        assertThat(fake.calls()).isEmpty();
    }

    @Test
    void dotmacHostedJobsCarryTheConfiguredInventory() {
        long inventory = fake.addInventory("dotmac-docker-hosts", FakeAwx.ORGANIZATION);

        runner(b -> b.dotmacHostedInventoryId(inventory)).launch(Specs.dotmacHosted("acme"));

        assertThat(fake.launches().get(0).inventory()).isEqualTo(inventory);
    }

    @Test
    void anAnswerWithOnlyAnIdIsAccepted() {
        fake.failNext(1, Fault.json(201, "{\"id\": 555, \"type\": \"job\", \"status\": \"pending\","
                + " \"ignored_fields\": {}}"), "POST", LAUNCH);

        assertThat(runner().launch(Specs.dotmacHosted("acme")).runId()).isEqualTo("555");
    }

    @Test
    void jobSlicingIsReportedAsAPermanentErrorAndTheWorkflowJobIsCancelled() {
        fake.template(FakeAwx.PROVISION_TEMPLATE).jobSliceCount(3);

        AutomationException e = failure(() -> runner().launch(Specs.dotmacHosted("acme")));

        assertThat(e.isTransient()).isFalse();
        assertThat(e.errorCode()).isEqualTo(AwxErrorCodes.JOB_SLICING_UNSUPPORTED);
        assertThat(e.getMessage()).contains("job template 14 uses job slicing").contains("/workflow_jobs/")
                .contains("it was cancelled");
        assertThat(fake.calls("POST", "workflow_jobs/\\d+/cancel/")).hasSize(1);
    }

    static Stream<Arguments> droppedFields() {
        return Stream.of(
                Arguments.of("extra_vars", "ask_variables_on_launch", "Variables"),
                Arguments.of("inventory", "ask_inventory_on_launch", "Inventory"),
                Arguments.of("credentials", "ask_credential_on_launch", "Credentials"));
    }

    @ParameterizedTest(name = "ignored {0}")
    @MethodSource("droppedFields")
    void aDroppedLaunchFieldFailsTheLaunchNamingTheTemplateSetting(String field, String setting, String prompt) {
        long inventory = fake.addInventory("dotmac-docker-hosts", FakeAwx.ORGANIZATION);
        var template = fake.template(FakeAwx.PROVISION_TEMPLATE);
        LaunchSpec spec = Specs.dotmacHosted("acme");
        switch (field) {
            case "extra_vars" -> template.askVariablesOnLaunch(false);
            case "inventory" -> template.askInventoryOnLaunch(false);
            default -> {
                template.askCredentialOnLaunch(false);
                spec = Specs.customerHosted("acme", new ConnectionProfile("203.0.113.10", 22, "deploy", "17"));
            }
        }
        LaunchSpec launched = spec;

        AutomationException e = failure(() -> runner(b -> b.dotmacHostedInventoryId(inventory)).launch(launched));

        assertThat(e.isTransient()).isFalse();
        assertThat(e.errorCode()).isEqualTo(AwxErrorCodes.IGNORED_FIELDS);
        assertThat(e.getMessage()).contains("job template 14").contains(field)
                .contains("enable 'Prompt on launch' for " + prompt + " (" + setting + ")")
                .contains("it was cancelled");
        long jobId = fake.launches().get(0).jobId();
        assertThat(fake.job(jobId).orElseThrow().cancelRequested()).isTrue();
    }

    @Test
    void aRejectedLaunchCarriesAwxsFieldMessages() {
        fake.template(FakeAwx.PROVISION_TEMPLATE).survey("x");

        AutomationException e = failure(() -> runner().launch(Specs.dotmacHosted("acme")));

        assertThat(e.isTransient()).isFalse();
        assertThat(e.errorCode()).isEqualTo(AwxErrorCodes.LAUNCH_REJECTED);
        assertThat(e.getMessage())
                .isEqualTo("AWX rejected the launch of job template 14: variables_needed_to_start: 'x' value missing");
    }

    @Test
    void aRejectionWithSeveralFieldsNamesEach() throws Exception {
        var bodies = new JsonMapper().readTree(getClass().getResourceAsStream("/awx/error_bodies_reconstructed.json"));
        fake.template(FakeAwx.PROVISION_TEMPLATE)
                .rejectLaunchesWith(bodies.path("launch_400_invalid_prompt_values").path("body").toString());

        AutomationException e = failure(() -> runner().launch(Specs.dotmacHosted("acme")));

        assertThat(e.getMessage()).startsWith("AWX rejected the launch of job template 14: ")
                .contains("job_type: \"foobicate\" is not a valid choice.")
                .contains("inventory: Invalid pk \"87865\" - object does not exist.")
                .contains("credentials: Invalid pk \"48474\" - object does not exist.");
    }

    @Test
    void aBadTokenIsAPermanentFailureSayingSo() {
        fake.requireToken("another-token-value");

        AutomationException e = failure(() -> runner().launch(Specs.dotmacHosted("acme")));

        assertThat(e.isTransient()).isFalse();
        assertThat(e.errorCode()).isEqualTo(AwxErrorCodes.UNAUTHORIZED);
        assertThat(e.getMessage()).contains("401").contains("token is invalid or expired")
                .doesNotContain(FakeAwx.TOKEN);
    }

    @Test
    void aForbiddenLaunchSaysThePermissionIsMissing() {
        fake.failNext(1, Fault.forbidden(), "POST", LAUNCH);

        AutomationException e = failure(() -> runner().launch(Specs.dotmacHosted("acme")));

        assertThat(e.isTransient()).isFalse();
        assertThat(e.errorCode()).isEqualTo(AwxErrorCodes.FORBIDDEN);
        assertThat(e.getMessage()).contains("403").contains("lacks the permission")
                .contains("You do not have permission to perform this action.");
    }

    @Test
    void anUnknownTemplateIsNamed() {
        fake.removeTemplate(FakeAwx.PROVISION_TEMPLATE);

        AutomationException e = failure(() -> runner().launch(Specs.dotmacHosted("acme")));

        assertThat(e.isTransient()).isFalse();
        assertThat(e.errorCode()).isEqualTo(AwxErrorCodes.NOT_FOUND);
        assertThat(e.getMessage()).startsWith("AWX has no job template 14");
    }

    /** Each transient fault, its code, and whether AWX may have processed the launch all the same. */
    static Stream<Arguments> transientFaults() {
        return Stream.of(
                Arguments.of(Fault.status(500), AwxErrorCodes.UNAVAILABLE, true),
                Arguments.of(Fault.status(502), AwxErrorCodes.UNAVAILABLE, true),
                Arguments.of(Fault.status(503), AwxErrorCodes.UNAVAILABLE, false),
                Arguments.of(Fault.tooManyRequests(30), AwxErrorCodes.RATE_LIMITED, false),
                Arguments.of(Fault.connectionReset(), AwxErrorCodes.UNREACHABLE, true),
                Arguments.of(Fault.readTimeout(), AwxErrorCodes.TIMEOUT, true),
                Arguments.of(Fault.redirectToHtml(), AwxErrorCodes.REDIRECTED, false),
                Arguments.of(Fault.htmlPage(), AwxErrorCodes.NOT_JSON, true),
                Arguments.of(Fault.malformedJson(), AwxErrorCodes.MALFORMED_RESPONSE, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transientFaults")
    void aFaultyLaunchIsTransientAndNeverRepeated(Fault fault, String code, boolean mayHaveTakenEffect) {
        AwxAutomationRunner runner = runner(b -> b.apiPath("/api/v2/"));
        fake.failNext(1, fault, "POST", LAUNCH);

        AutomationException e = failure(() -> runner.launch(Specs.dotmacHosted("acme")));

        assertThat(e.isTransient()).isTrue();
        assertThat(e.errorCode()).isEqualTo(code);
        assertThat(e.mayHaveTakenEffect()).as("whether AWX may have started the run").isEqualTo(mayHaveTakenEffect);
        List<RecordedCall> launches = fake.calls("POST", LAUNCH);
        assertThat(launches).hasSize(1);
        assertThat(sleeper.delays()).isEmpty();
        if (code.equals(AwxErrorCodes.RATE_LIMITED)) {
            assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(30));
        }
    }

    @Test
    void aLaunchThatReachedNoServerSurelyStartedNothing() throws Exception {
        // a port bound by a socket that does not listen: connecting to it is refused, and nothing else can take it
        try (Socket reserved = new Socket()) {
            reserved.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            AwxAutomationRunner unreachable = runner(b -> b.baseUrl("http://127.0.0.1:" + reserved.getLocalPort()));

            AutomationException e = failure(() -> unreachable.launch(Specs.dotmacHosted("acme")));

            assertThat(e.errorCode()).isEqualTo(AwxErrorCodes.UNREACHABLE);
            assertThat(e.getCause()).isInstanceOf(ConnectException.class);
            assertThat(e.isTransient()).isTrue();
            assertThat(e.mayHaveTakenEffect()).isFalse();
        }
    }

    @Test
    void aLaunchWhoseAnswerWasLostIsFoundAgainInsteadOfLaunchedTwice() {
        AwxAutomationRunner runner = runner();
        LaunchSpec spec = Specs.spec("acme", Operation.PROVISION, DeploymentMode.DOTMAC_HOSTED, null, null,
                Instant.now());
        fake.failNext(1, Fault.readTimeout().afterProcessing(), "POST", LAUNCH);

        AutomationException e = failure(() -> runner.launch(spec));
        var found = runner.findRuns(spec).stream().findFirst();

        assertThat(e.isTransient()).isTrue();
        assertThat(found).map(LaunchedRun::runId).contains(String.valueOf(fake.launches().get(0).jobId()));
        assertThat(fake.calls("POST", LAUNCH)).hasSize(1);
    }

    @Test
    void theCallbackTokenNeverReachesAnExceptionMessage() {
        String token = "cb-token-6c1f0e9d2b7a";
        fake.template(FakeAwx.PROVISION_TEMPLATE).rejectLaunchesWith("{\"variables_needed_to_start\": [\"Value '"
                + token + "' for 'platform_callback_token' expected to be a number.\"]}");
        LaunchSpec spec = Specs.withVar(Specs.dotmacHosted("acme"), PlaybookVariables.PLATFORM_CALLBACK_TOKEN, token);

        AutomationException e = failure(() -> runner().launch(spec));

        assertThat(e.getMessage()).doesNotContain(token).contains("[redacted]");
        assertThat(fake.launches().get(0).extraVars()).containsEntry(PlaybookVariables.PLATFORM_CALLBACK_TOKEN, token);
    }
}
