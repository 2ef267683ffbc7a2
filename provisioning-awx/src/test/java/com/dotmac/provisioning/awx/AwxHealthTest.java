package com.dotmac.provisioning.awx;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.spi.RunnerHealth;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** health() and preflight(): reachability, version, and every configured template's launch settings. */
class AwxHealthTest extends FakeAwxTest {

    @Test
    void aWellConfiguredAwxIsHealthy() {
        AwxAutomationRunner runner = runner();

        RunnerHealth health = runner.health();

        assertThat(health.healthy()).isTrue();
        assertThat(health.problems()).isEmpty();
        assertThat(health.summary()).contains("AWX 24.6.1 at " + fake.baseUrl()).contains("API /api/v2/")
                .contains("3 job templates checked, no problems");
        assertThat(runner.preflight()).isEmpty();
        assertThat(fake.calls("GET", "ping/")).hasSize(2);
        assertThat(fake.calls("GET", "job_templates/\\d+/launch/")).hasSize(6);
    }

    @Test
    void aTemplateThatDropsVariablesIsReportedInWordsAnOperatorCanActOn() {
        fake.template(FakeAwx.PROVISION_TEMPLATE).askVariablesOnLaunch(false);

        RunnerHealth health = runner().health();

        assertThat(health.healthy()).isFalse();
        assertThat(health.problems()).containsExactly("job template 14 (provision): enable 'Prompt on launch' for"
                + " Variables (ask_variables_on_launch), otherwise AWX drops the tenant's variables");
    }

    @Test
    void aMissingTemplateIsReported() {
        fake.removeTemplate(FakeAwx.UPGRADE_TEMPLATE);

        assertThat(runner().preflight()).containsExactly(
                "job template 15 (upgrade) does not exist in AWX: configure an existing job template");
    }

    @Test
    void requiredSurveyAnswersAndLaunchPasswordsAreReported() {
        fake.template(FakeAwx.DECOMMISSION_TEMPLATE).survey("approval_ticket").passwordsNeededToStart("ssh_password");

        assertThat(runner().preflight()).containsExactly(
                "job template 16 (decommission): its survey requires answers the platform does not send"
                        + " (approval_ticket); make these questions optional or give them defaults",
                "job template 16 (decommission): its credentials ask for passwords at launch (ssh_password), which"
                        + " the platform cannot give; store them in the credentials");
    }

    @Test
    void customerHostedTemplatesMustPromptForInventoryAndCredentials() {
        fake.template(21).askInventoryOnLaunch(false).askCredentialOnLaunch(false);

        var problems = runner(b -> b.jobTemplate(Operation.PROVISION, DeploymentMode.CUSTOMER_HOSTED, 21)).preflight();

        assertThat(problems).containsExactly(
                "job template 21 (provision (customer_hosted)): enable 'Prompt on launch' for Inventory"
                        + " (ask_inventory_on_launch), otherwise AWX ignores customer-hosted tenants' inventories",
                "job template 21 (provision (customer_hosted)): enable 'Prompt on launch' for Credentials"
                        + " (ask_credential_on_launch), otherwise AWX ignores the customer's machine credential");
    }

    @Test
    void aDotmacHostedInventoryNeedsTheTemplateToPromptForIt() {
        long inventory = fake.addInventory("dotmac-docker-hosts", FakeAwx.ORGANIZATION);
        fake.template(FakeAwx.PROVISION_TEMPLATE).askInventoryOnLaunch(false);

        var problems = runner(b -> b.dotmacHostedInventoryId(inventory).organizationId(null)).preflight();

        assertThat(problems).containsExactly("job template 14 (provision): enable 'Prompt on launch' for Inventory"
                + " (ask_inventory_on_launch), otherwise AWX ignores the dotmac_hosted inventory " + inventory);
    }

    @Test
    void aTemplateWithoutInventoryIsReportedWhenNoneIsConfigured() {
        fake.template(FakeAwx.UPGRADE_TEMPLATE).inventory(null);

        assertThat(runner().preflight()).containsExactly("job template 15 (upgrade) has no inventory: give the"
                + " template one, or configure the dotmac_hosted inventory id");
    }

    @Test
    void aBadTokenIsReportedForEveryTemplate() {
        fake.requireToken("rotated-token-value");

        RunnerHealth health = runner().health();

        assertThat(health.healthy()).isFalse();
        assertThat(health.problems()).hasSize(3).allSatisfy(p -> assertThat(p)
                .contains("could not be checked").contains("token is invalid or expired"));
    }

    @Test
    void anUnreachableAwxIsUnhealthyAndTheCheckNeverThrows() {
        String baseUrl = fake.baseUrl();
        fake.close();
        AwxAutomationRunner runner = new AwxAutomationRunner(AwxConfig.builder().baseUrl(baseUrl).token("t0ken-x")
                .jobTemplate(Operation.PROVISION, 14).maxRetries(0).build(), sleeper, Clock.systemUTC());

        RunnerHealth health = runner.health();
        runner.close();

        assertThat(health.healthy()).isFalse();
        assertThat(health.summary()).contains("not reachable");
        assertThat(health.problems()).singleElement().asString().contains("cannot be reached");
    }

    @Test
    void noTemplatesIsAProblem() {
        AwxAutomationRunner runner = new AwxAutomationRunner(AwxConfig.builder().baseUrl(fake.baseUrl())
                .token(FakeAwx.TOKEN).build(), sleeper, Clock.systemUTC());

        var problems = runner.preflight();
        runner.close();

        assertThat(problems).singleElement().asString().startsWith("no job template is configured");
    }
}
