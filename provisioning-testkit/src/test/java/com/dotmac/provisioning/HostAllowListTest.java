package com.dotmac.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dotmac.provisioning.memory.InMemoryCredentialPolicy;
import com.dotmac.provisioning.policy.RequestVariable;
import com.dotmac.provisioning.policy.RequestVariables;
import com.dotmac.provisioning.policy.TemplateOverrides;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.TenantCredential;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request may choose only what the host allows (issue: "a request must not steer the host"): declared extra vars,
 * allowed template overrides, credentials registered for its own tenant. Each refusal names the field and leaves no
 * job, no event, no launch and no tenant-status change behind.
 */
class HostAllowListTest {
    private static final String HOST_EXPLOIT_COMMAND = "tenant_docker_compose_command";
    /** One variable of every type. */
    private static final RequestVariables DECLARED = RequestVariables.of(
            RequestVariable.string("plan").allowedValues("starter", "gold").build(),
            RequestVariable.integer("seats").range(1, 500).build(),
            RequestVariable.bool("trial").build(),
            RequestVariable.hostName("custom_domain").build(),
            RequestVariable.url("support_url").build(),
            RequestVariable.stringList("modules").allowedValues("billing", "crm").maxItems(2).build(),
            RequestVariable.string("welcome_note").multiLine(true).maxLength(500).build(),
            RequestVariable.string("region").pattern("[a-z]{2}-[a-z]+").maxLength(16).build());

    private EngineHarness harness(Consumer<TenantProvisioner.Builder> customise) {
        return new EngineHarness(customise).tenant("acme", "new").tenant("beta", "new");
    }

    private static void assertNothingStored(EngineHarness h, String tenantId) {
        h.step();
        assertThat(h.provisioner.jobs(tenantId, 1, 100).total()).isZero();
        assertThat(h.runner.launches()).isEmpty();
        assertThat(h.heard).isEmpty();
        assertThat(h.tenantStatus(tenantId)).isEqualTo("new");
    }

    private static InvalidRequestException refused(Runnable request) {
        try {
            request.run();
        } catch (InvalidRequestException e) {
            return e;
        }
        throw new AssertionError("the request was accepted");
    }

    @Test
    void theExploitRequestThatRanACommandOnTheSharedHostIsRefusedAndNothingIsStored() {
        EngineHarness h = harness(b -> { });

        InvalidRequestException e = refused(() -> h.provisioner.request(ProvisioningRequest.builder("acme")
                .deploymentMode(DeploymentMode.DOTMAC_HOSTED)
                .extraVar("tenant_stack_start", true)
                .extraVar(HOST_EXPLOIT_COMMAND, List.of("sh", "-c", "id > pwned", "x"))
                .build()));

        assertThat(e.fieldErrors()).extracting(FieldError::field)
                .containsExactlyInAnyOrder("extra_vars.tenant_stack_start", "extra_vars." + HOST_EXPLOIT_COMMAND);
        assertNothingStored(h, "acme");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tenant_proxy_reload_command", "tenant_workspace_root", "tenant_proxy_site_file",
            "tenant_public_hostname", "tenant_become", "tenant_existing_metadata", "platform_anything"})
    void settingsCommandsPathsAndFactsOfTheContentAreRefusedInARequest(String name) {
        EngineHarness h = harness(b -> { });

        InvalidRequestException e = refused(() -> h.provisioner.request(ProvisioningRequest.builder("acme")
                .deploymentMode(DeploymentMode.DOTMAC_HOSTED).extraVar(name, "/").build()));

        assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("extra_vars." + name);
        assertThat(e.fieldErrors().get(0).message()).contains("Ansible content");
        assertNothingStored(h, "acme");
    }

    @ParameterizedTest
    @ValueSource(strings = {HOST_EXPLOIT_COMMAND, "tenant_workspace_root", "tenant_id", "ansible_user",
            "platform_callback_token", "hostvars"})
    void aHostCannotDeclareANameTheLibraryOrTheContentUses(String name) {
        assertThatThrownBy(() -> RequestVariable.string(name).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(name).hasMessageContaining("cannot be declared");
    }

    @Test
    void anUndeclaredVariableIsRefusedNamingWhatIsAccepted() {
        EngineHarness h = harness(b -> { });

        InvalidRequestException e = refused(() -> h.provisioner.request(ProvisioningRequest.builder("acme")
                .deploymentMode(DeploymentMode.DOTMAC_HOSTED).extraVar("plan", "gold").extraVar("seats", 5)
                .build()));

        assertThat(e.fieldErrors()).singleElement().satisfies(fe -> {
            assertThat(fe.field()).isEqualTo("extra_vars.seats");
            assertThat(fe.message()).contains("accepted: plan, region")
                    .contains("provisioning.request.extra-vars.<name>.type");
        });
        assertNothingStored(h, "acme");
    }

    @Test
    void declaredVariablesPassWithTheirTypesAndReachThePlaybook() {
        EngineHarness h = harness(b -> b.requestVariables(DECLARED));

        ProvisioningJob job = h.provisioner.request(ProvisioningRequest.builder("acme")
                .deploymentMode(DeploymentMode.DOTMAC_HOSTED)
                .extraVars(Map.of("plan", "gold", "seats", 42L, "trial", true, "custom_domain", "crm.acme.example",
                        "support_url", "https://help.acme.example/start?x=1", "modules", List.of("crm", "billing"),
                        "welcome_note", "Welcome!\n\tSee you soon."))
                .build());
        h.step();

        LaunchSpec launched = h.runner.launches().get(0);
        assertThat(launched.job().id()).isEqualTo(job.id());
        assertThat(launched.extraVars()).containsEntry("plan", "gold").containsEntry("seats", 42L)
                .containsEntry("modules", List.of("crm", "billing")).containsKey("welcome_note");
    }

    @Test
    void declaredVariablesRefuseValuesOutsideTheirDeclaration() {
        EngineHarness h = harness(b -> b.requestVariables(DECLARED));

        InvalidRequestException e = refused(() -> h.provisioner.request(ProvisioningRequest.builder("acme")
                .deploymentMode(DeploymentMode.DOTMAC_HOSTED)
                .extraVars(Map.of("plan", "diamond", "seats", 501L, "trial", "yes",
                        "custom_domain", "x.example.com;\n location /x { alias /etc/; }",
                        "support_url", "javascript:alert(1)", "modules", List.of("crm", "shell"),
                        "region", "eu-west\n"))
                .build()));

        assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactlyInAnyOrder("extra_vars.plan",
                "extra_vars.seats", "extra_vars.trial", "extra_vars.custom_domain", "extra_vars.support_url",
                "extra_vars.modules", "extra_vars.region");
        assertThat(e.getMessage()).doesNotContain("alias /etc/").doesNotContain("javascript");
        assertNothingStored(h, "acme");
    }

    @ParameterizedTest
    @ValueSource(strings = {"line\nbreak", "carriage\rreturn", "nul\u0000", "escape\u001b[31m", "bidi\u202Eoverride",
            "isolate\u2066x\u2069", "separator\u2028line", "bom\uFEFF", "tab\there", "c1\u0085"})
    void controlAndBidiCharactersAreRefusedInSingleLineValues(String value) {
        EngineHarness h = harness(b -> { });

        InvalidRequestException e = refused(() -> h.provisioner.request(ProvisioningRequest.builder("acme")
                .deploymentMode(DeploymentMode.DOTMAC_HOSTED).extraVar("region", value).build()));

        assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("extra_vars.region");
        assertNothingStored(h, "acme");
    }

    @Test
    void aMultiLineVariableAcceptsLineFeedsButNeverOtherControlCharacters() {
        RequestVariable note = RequestVariable.string("note").multiLine(true).build();

        assertThat(note.check("one\ntwo\tthree")).isNull();
        assertThat(note.check("one\r\ntwo")).contains("control characters");
        assertThat(note.check("rtl\u202Etext")).contains("bidirectional");
        assertThat(note.check("{{ lookup('pipe', 'id') }}")).contains("Jinja");
    }

    @Test
    void aTemplateOverrideIsRefusedUnlessTheHostAllowsItForTheOperation() {
        EngineHarness h = harness(b -> b.templateOverrides(TemplateOverrides.builder()
                .allow(Operation.UPGRADE, 31).build()));

        InvalidRequestException e = refused(() -> h.provisioner.request(ProvisioningRequest.builder("acme")
                .deploymentMode(DeploymentMode.DOTMAC_HOSTED).templateId(31L).build()));

        assertThat(e.fieldErrors()).singleElement().satisfies(fe -> {
            assertThat(fe.field()).isEqualTo("awx_template_id");
            assertThat(fe.message()).contains("provisioning.request.template-overrides.provision");
        });
        assertNothingStored(h, "acme");
    }

    @Test
    void noTemplateOverrideIsAcceptedByDefault() {
        EngineHarness h = harness(b -> { });

        InvalidRequestException e = refused(() -> h.provisioner.request(ProvisioningRequest.builder("acme")
                .deploymentMode(DeploymentMode.DOTMAC_HOSTED).templateId(99L).build()));

        assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("awx_template_id");
        assertThat(e.fieldErrors().get(0).message()).contains("allows no template override");
        assertNothingStored(h, "acme");
    }

    @Test
    void anAllowedOverrideIsUsedAndARetryKeepsIt() {
        EngineHarness h = harness(b -> b.templateOverrides(TemplateOverrides.builder()
                .allow(Operation.PROVISION, 31).build()));
        h.runner.script("acme", Script.failAfter(1, "Render compose file", "dc1", "boom"));
        ProvisioningJob job = h.provisioner.request(ProvisioningRequest.builder("acme")
                .deploymentMode(DeploymentMode.DOTMAC_HOSTED).templateId(31L).build());
        assertThat(h.runToEnd(job.id()).status()).isEqualTo(JobStatus.FAILED);

        ProvisioningJob again = h.provisioner.retry(job.id(), "alice");
        h.step();

        assertThat(again.templateId()).isEqualTo(31L);
        assertThat(h.runner.launches()).extracting(s -> s.job().templateId()).containsExactly(31L, 31L);
    }

    @Test
    void aRetryOfAJobWithoutOverrideChoosesNoTemplate() {
        EngineHarness h = harness(b -> { });
        h.runner.script("acme", Script.failAfter(1, "t", "h", "boom"));
        ProvisioningJob job = h.provisioner.request(ProvisioningRequest.provision("acme", DeploymentMode.DOTMAC_HOSTED));
        h.runToEnd(job.id());

        ProvisioningJob again = h.provisioner.retry(job.id(), "alice");

        assertThat(again.templateId()).isNull();
    }

    private static ProvisioningRequest customerHosted(String tenantId, String host, String credentialRef) {
        return ProvisioningRequest.builder(tenantId).deploymentMode(DeploymentMode.CUSTOMER_HOSTED)
                .connectionProfile(new ConnectionProfile(host, 22, "deploy", credentialRef)).build();
    }

    @Test
    void noCredentialIsUsableByDefault() {
        EngineHarness h = harness(b -> { });

        InvalidRequestException e = refused(() -> h.provisioner.request(customerHosted("acme", "203.0.113.7", "7")));

        assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("connection_profile.credential_ref");
        assertNothingStored(h, "acme");
    }

    @Test
    void tenantAsJobCannotUseTenantBsCredential() {
        InMemoryCredentialPolicy credentials = new InMemoryCredentialPolicy()
                .register(new TenantCredential("acme", "acme-ssh", "41", Set.of()))
                .register(new TenantCredential("beta", "beta-ssh", "42", Set.of()));
        EngineHarness h = harness(b -> b.credentialPolicy(credentials));

        InvalidRequestException e = refused(() -> h.provisioner.request(customerHosted("acme", "203.0.113.7",
                "beta-ssh")));

        assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("connection_profile.credential_ref");
        assertThat(e.getMessage()).contains("not a credential registered for tenant acme").doesNotContain("42");
        assertNothingStored(h, "acme");
    }

    @Test
    void aRegisteredCredentialIsResolvedForTheRunner() {
        InMemoryCredentialPolicy credentials = new InMemoryCredentialPolicy()
                .register(new TenantCredential("acme", "acme-ssh", "41", Set.of()));
        EngineHarness h = harness(b -> b.credentialPolicy(credentials));

        h.provisioner.request(customerHosted("acme", "203.0.113.7", "acme-ssh"));
        h.step();

        assertThat(h.runner.launches()).singleElement().satisfies(spec -> {
            assertThat(spec.runnerCredential()).isEqualTo("41");
            assertThat(spec.extraVars().get(PlaybookVariables.CONNECTION_PROFILE).toString()).contains("acme-ssh")
                    .doesNotContain("41");
        });
    }

    @Test
    void aCredentialBoundToHostsCannotBeSentElsewhere() {
        InMemoryCredentialPolicy credentials = new InMemoryCredentialPolicy()
                .register(new TenantCredential("acme", "acme-pw", "41", Set.of("erp.acme.example")));
        EngineHarness h = harness(b -> b.credentialPolicy(credentials));

        InvalidRequestException e = refused(() -> h.provisioner.request(customerHosted("acme", "collector.evil.example",
                "acme-pw")));

        assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("connection_profile.host");
        assertNothingStored(h, "acme");
        assertThat(h.provisioner.request(customerHosted("acme", "ERP.acme.example", "acme-pw")).status())
                .isEqualTo(JobStatus.QUEUED);
    }

    @Test
    void aCredentialUnregisteredBeforeTheLaunchFailsTheJobWithoutLaunching() {
        InMemoryCredentialPolicy credentials = new InMemoryCredentialPolicy()
                .register(new TenantCredential("acme", "acme-ssh", "41", Set.of()));
        EngineHarness h = harness(b -> b.credentialPolicy(credentials));
        ProvisioningJob job = h.provisioner.request(customerHosted("acme", "203.0.113.7", "acme-ssh"));

        credentials.unregister("acme", "acme-ssh");
        ProvisioningJob end = h.runToEnd(job.id());

        assertThat(end.status()).isEqualTo(JobStatus.FAILED);
        assertThat(end.errorCode()).isEqualTo(ErrorCodes.CREDENTIAL_NOT_ALLOWED);
        assertThat(h.runner.launches()).isEmpty();
        assertThat(h.tenantStatus("acme")).isEqualTo("failed_provisioning");
    }

    @Test
    void aCredentialPolicyThatCannotBeReadDelaysTheLaunch() {
        boolean[] down = {true};
        EngineHarness h = harness(b -> b.credentialPolicy((tenant, ref) -> {
            if (down[0]) {
                throw new IllegalStateException("registry offline");
            }
            return java.util.Optional.of(TenantCredential.of(tenant, ref));
        }));
        down[0] = false;
        ProvisioningJob job = h.provisioner.request(customerHosted("acme", "203.0.113.7", "acme-ssh"));
        down[0] = true;
        h.step();
        assertThat(h.job(job.id()).status()).isEqualTo(JobStatus.QUEUED);
        assertThat(h.job(job.id()).errorCode()).isEqualTo(ErrorCodes.CREDENTIAL_POLICY_UNAVAILABLE);

        down[0] = false;
        assertThat(h.runToEnd(job.id()).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(h.runner.launches()).hasSize(1);
    }
}
