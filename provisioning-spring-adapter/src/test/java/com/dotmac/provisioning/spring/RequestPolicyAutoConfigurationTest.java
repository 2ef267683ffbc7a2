package com.dotmac.provisioning.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ansible.CustomerCredentials;
import com.dotmac.provisioning.awx.AwxAutomationRunner;
import com.dotmac.provisioning.jdbc.JdbcCredentialPolicy;
import com.dotmac.provisioning.memory.InMemoryCredentialPolicy;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.policy.RequestVariable;
import com.dotmac.provisioning.policy.RequestVariables;
import com.dotmac.provisioning.policy.TemplateOverrides;
import com.dotmac.provisioning.spi.CredentialPolicy;
import com.dotmac.provisioning.spi.TenantCredential;
import com.dotmac.provisioning.spi.TenantDirectory;
import com.dotmac.provisioning.ansible.AnsiblePlaybookRunner;
import java.nio.file.Path;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * What requests may choose, as properties set it: {@code provisioning.request.*} (extra vars, template overrides),
 * {@code provisioning.credentials.*} (by property or table) and the local runner's customer credentials.
 */
class RequestPolicyAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ProvisioningJdbcAutoConfiguration.class,
                    ProvisioningAnsibleAutoConfiguration.class, ProvisioningAutoConfiguration.class))
            .withBean(TenantDirectory.class, InMemoryTenantDirectory::new)
            .withPropertyValues("provisioning.runner=scripted");

    private static String failureOf(Throwable startupFailure) {
        FailureAnalysis analysis = new ProvisioningFailureAnalyzer().analyze(startupFailure);
        assertThat(analysis).as("a ProvisioningConfigurationException caused the failure").isNotNull();
        return analysis.getDescription() + " | " + analysis.getAction();
    }

    @Test
    void byDefaultRequestsMaySetPlanAndRegionNameNoTemplateAndUseNoCredential() {
        runner.run(ctx -> {
            assertThat(ctx.getBean(RequestVariables.class)).isSameAs(RequestVariables.DEFAULT);
            assertThat(ctx.getBean(TemplateOverrides.class).allowed(Operation.PROVISION)).isEmpty();
            assertThat(ctx.getBean(CredentialPolicy.class).find("acme", "7")).isEmpty();
        });
    }

    @Test
    void declaredVariablesReplaceTheDefaults() {
        runner.withPropertyValues("provisioning.request.extra-vars.plan.allowed-values=starter,gold",
                "provisioning.request.extra-vars.seats.type=integer", "provisioning.request.extra-vars.seats.min=1",
                "provisioning.request.extra-vars.seats.max=500",
                "provisioning.request.extra-vars.modules.type=string-list",
                "provisioning.request.extra-vars.note.multi-line=true",
                "provisioning.request.template-overrides.upgrade=31,32").run(ctx -> {
                    RequestVariables variables = ctx.getBean(RequestVariables.class);
                    assertThat(variables.names()).containsExactly("modules", "note", "plan", "seats");
                    assertThat(variables.find("seats").orElseThrow().check(501L)).contains("between 1 and 500");
                    assertThat(variables.find("plan").orElseThrow().check("gold")).isNull();
                    assertThat(variables.find("modules").orElseThrow().type())
                            .isEqualTo(RequestVariable.Type.STRING_LIST);
                    assertThat(variables.find("note").orElseThrow().check("a\nb")).isNull();
                    assertThat(ctx.getBean(TemplateOverrides.class).allowed(Operation.UPGRADE)).containsExactly(31L,
                            32L);
                });
    }

    @Test
    void aContentSettingCannotBeDeclared() {
        runner.withPropertyValues("provisioning.request.extra-vars.tenant_docker_compose_command.type=string-list")
                .run(ctx -> assertThat(failureOf(ctx.getStartupFailure()))
                        .contains("provisioning.request.extra-vars").contains("tenant_docker_compose_command"));
        runner.withPropertyValues("provisioning.request.extra-vars.region.pattern=[unclosed")
                .run(ctx -> assertThat(failureOf(ctx.getStartupFailure())).contains("does not compile"));
    }

    @Test
    void credentialsRegisteredByPropertyAreTheTenantsOwn() {
        runner.withPropertyValues("provisioning.credentials.tenants.acme.acme-ssh.runner-credential=41",
                "provisioning.credentials.tenants.acme.acme-pw.runner-credential=43",
                "provisioning.credentials.tenants.acme.acme-pw.hosts=erp.acme.example",
                "provisioning.credentials.tenants.beta.[awx.17].runner-credential=17").run(ctx -> {
                    CredentialPolicy policy = ctx.getBean(CredentialPolicy.class);
                    assertThat(policy).isInstanceOf(InMemoryCredentialPolicy.class);
                    assertThat(policy.find("acme", "acme-ssh")).map(TenantCredential::runnerCredential).contains("41");
                    assertThat(policy.find("acme", "acme-pw").orElseThrow().hosts())
                            .containsExactly("erp.acme.example");
                    assertThat(policy.find("beta", "awx.17")).map(TenantCredential::runnerCredential).contains("17");
                    assertThat(policy.find("beta", "acme-ssh")).isEmpty();
                });
        runner.withPropertyValues("provisioning.credentials.tenants.acme.k.runner-credential=-----BEGIN KEY")
                .run(ctx -> assertThat(failureOf(ctx.getStartupFailure())).contains("provisioning.credentials"));
    }

    @Test
    void aCredentialsTableGivesAJdbcPolicyButNotTogetherWithProperties() {
        DataSource h2 = new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa",
                "");
        ApplicationContextRunner withDb = runner.withBean(DataSource.class, () -> h2)
                .withPropertyValues("provisioning.credentials.table=host_credentials");
        withDb.run(ctx -> assertThat(ctx.getBean(CredentialPolicy.class)).isInstanceOf(JdbcCredentialPolicy.class)
                .hasToString("JdbcCredentialPolicy[host_credentials]"));
        withDb.withPropertyValues("provisioning.credentials.tenants.acme.acme-ssh.runner-credential=41")
                .run(ctx -> assertThat(failureOf(ctx.getStartupFailure())).contains("one place"));
    }

    @Test
    void theAwxRunnerExpectsTheDeclaredVariablesAndTheCallbackInASurveyGuard() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ProvisioningAwxAutoConfiguration.class,
                        ProvisioningAutoConfiguration.class))
                .withBean(TenantDirectory.class, InMemoryTenantDirectory::new)
                .withPropertyValues("provisioning.awx.base-url=https://awx.example.com", "provisioning.awx.token=t",
                        "provisioning.awx.job-templates.provision=14",
                        "provisioning.request.extra-vars.plan.allowed-values=gold",
                        "provisioning.callback.base-url=https://platform.example.com",
                        "provisioning.callback.secret=0123456789abcdef0123456789abcdef-secret")
                .run(ctx -> assertThat(ctx.getBean(AwxAutomationRunner.class).config().surveyVariables())
                        .containsExactlyInAnyOrder("plan", "platform_callback_url", "platform_callback_token"));
    }

    @Test
    void theHostsOwnPoliciesWin() {
        CredentialPolicy own = (tenant, ref) -> java.util.Optional.of(TenantCredential.of(tenant, ref));
        runner.withBean(RequestVariables.class, RequestVariables::none).withBean(CredentialPolicy.class, () -> own)
                .run(ctx -> {
                    assertThat(ctx.getBean(RequestVariables.class).names()).isEmpty();
                    assertThat(ctx.getBean(CredentialPolicy.class)).isSameAs(own);
                });
    }

    @Test
    void theLocalRunnerTakesKeyFilesOrTheJvmUsersKeysButNotBoth(@TempDir Path project) {
        ApplicationContextRunner local = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ProvisioningAnsibleAutoConfiguration.class,
                        ProvisioningAutoConfiguration.class))
                .withBean(TenantDirectory.class, InMemoryTenantDirectory::new)
                .withPropertyValues("provisioning.ansible.project-dir=" + project);
        local.run(ctx -> assertThat(ctx.getBean(AnsiblePlaybookRunner.class).config().customerCredentials())
                .isSameAs(CustomerCredentials.NONE));
        local.withPropertyValues("provisioning.ansible.customer-ssh-defaults=true")
                .run(ctx -> assertThat(ctx.getBean(AnsiblePlaybookRunner.class).config().customerCredentials())
                        .isSameAs(CustomerCredentials.SSH_DEFAULTS));
        local.withPropertyValues("provisioning.ansible.customer-key-files.acme-key=/etc/keys/acme")
                .run(ctx -> assertThat(ctx.getBean(AnsiblePlaybookRunner.class).config().customerCredentials()
                        .privateKeyFile("acme-key")).contains(Path.of("/etc/keys/acme")));
        local.withPropertyValues("provisioning.ansible.customer-ssh-defaults=true",
                "provisioning.ansible.customer-key-files.acme-key=/etc/keys/acme")
                .run(ctx -> assertThat(failureOf(ctx.getStartupFailure())).contains("Choose one way"));
    }
}
