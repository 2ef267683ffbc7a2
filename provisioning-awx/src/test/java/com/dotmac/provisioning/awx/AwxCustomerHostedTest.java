package com.dotmac.provisioning.awx;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.ConnectionProfile;
import com.dotmac.provisioning.awx.fake.Fault;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.LaunchRecord;
import com.dotmac.provisioning.spi.AutomationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Customer-hosted launches render the tenant's AWX inventory from its connection profile. */
class AwxCustomerHostedTest extends FakeAwxTest {
    private static final ConnectionProfile PROFILE = new ConnectionProfile("203.0.113.10", 2222, "deploy", "17",
            new ConnectionProfile.Bastion("bastion.example.net", 2200, "jump"));

    @Test
    void theFirstLaunchCreatesTheInventoryGroupAndHost() {
        runner().launch(Specs.customerHosted("acme", PROFILE));

        long inventory = fake.inventoryId("tenant-acme").orElseThrow();
        assertThat(fake.hostVariables(inventory)).containsOnlyKeys("acme");
        assertThat(fake.hostVariables(inventory).get("acme")).isEqualTo(Map.of(
                "ansible_host", "203.0.113.10",
                "ansible_port", 2222,
                "ansible_user", "deploy",
                "ansible_ssh_common_args", "-o ProxyJump=jump@bastion.example.net:2200"));
        assertThat(fake.groupHosts(inventory, "tenant_targets")).containsExactly("acme");
        LaunchRecord launch = fake.launches().get(0);
        assertThat(launch.inventory()).isEqualTo(inventory);
        assertThat(launch.credentials()).containsExactly(17L);
        assertThat(fake.calls("POST", "inventories/")).hasSize(1);
        assertThat(fake.calls("POST", "inventories/")).first().satisfies(c ->
                assertThat(c.body()).contains("\"organization\":" + FakeAwx.ORGANIZATION));
    }

    @Test
    void aLaterLaunchReusesTheInventoryAndUpdatesTheHost() {
        AwxAutomationRunner runner = runner();
        runner.launch(Specs.customerHosted("acme", PROFILE));
        int inventories = fake.inventoryCount();
        fake.clearCalls();

        runner.launch(Specs.customerHosted("acme", new ConnectionProfile("198.51.100.7", 22, "ops", "awx:23")));

        long inventory = fake.inventoryId("tenant-acme").orElseThrow();
        assertThat(fake.inventoryCount()).isEqualTo(inventories);
        assertThat(fake.calls("POST", "inventories/")).isEmpty();
        assertThat(fake.calls("POST", "inventories/\\d+/hosts/")).isEmpty();
        assertThat(fake.calls("PATCH", "hosts/\\d+/")).hasSize(1);
        assertThat(fake.hostVariables(inventory).get("acme")).isEqualTo(Map.of(
                "ansible_host", "198.51.100.7", "ansible_port", 22, "ansible_user", "ops"));
        assertThat(fake.launches().get(1).credentials()).containsExactly(23L);
        assertThat(fake.launches().get(1).inventory()).isEqualTo(inventory);
    }

    @Test
    void anUnchangedProfileChangesNothing() {
        AwxAutomationRunner runner = runner();
        runner.launch(Specs.customerHosted("acme", PROFILE));
        fake.clearCalls();

        runner.launch(Specs.customerHosted("acme", PROFILE));

        assertThat(fake.calls()).filteredOn(c -> !c.method().equals("GET")).extracting(c -> c.path())
                .containsExactly("/api/v2/job_templates/14/launch/");
    }

    @Test
    void anIpv6BastionIsBracketed() {
        runner().launch(Specs.customerHosted("acme", new ConnectionProfile("2001:db8::7", 22, "ops", "17",
                new ConnectionProfile.Bastion("2001:db8::1", 22, "jump"))));

        long inventory = fake.inventoryId("tenant-acme").orElseThrow();
        assertThat(fake.hostVariables(inventory).get("acme"))
                .containsEntry("ansible_ssh_common_args", "-o ProxyJump=jump@[2001:db8::1]:22");
    }

    @Test
    void anInventoryCreatedConcurrentlyIsLookedUpAgain() {
        fake.failNext(1, Fault.json(400, "{\"__all__\": [\"Inventory with this Name and Organization already"
                + " exists.\"]}").afterProcessing(), "POST", "inventories/");

        runner().launch(Specs.customerHosted("acme", PROFILE));

        long inventory = fake.inventoryId("tenant-acme").orElseThrow();
        assertThat(fake.calls("GET", "inventories/")).hasSize(2);
        assertThat(fake.launches().get(0).inventory()).isEqualTo(inventory);
    }

    @Test
    void aCredentialRefThatIsNoAwxIdFailsNamingTheField() {
        AutomationException e = failure(() -> runner().launch(Specs.customerHosted("acme",
                new ConnectionProfile("203.0.113.10", 22, "deploy", "vault/customers/acme"))));

        assertThat(e.isTransient()).isFalse();
        assertThat(e.errorCode()).isEqualTo(AwxErrorCodes.CREDENTIAL_REF);
        assertThat(e.getMessage()).contains("connection_profile.credential_ref").contains("vault/customers/acme");
        assertThat(fake.calls()).isEmpty();
    }

    @Test
    void withoutAnOrganizationCustomerHostedJobsFailPermanently() {
        AutomationException e = failure(() -> runner(b -> b.organizationId(null))
                .launch(Specs.customerHosted("acme", PROFILE)));

        assertThat(e.isTransient()).isFalse();
        assertThat(e.errorCode()).isEqualTo(AwxErrorCodes.CONFIGURATION);
        assertThat(e.getMessage()).contains("organization");
        assertThat(fake.launches()).isEmpty();
    }

    @Test
    void aFailedInventoryStepIsTransientAndLaunchesNothing() {
        fake.failNext(1, Fault.status(502), "POST", "inventories/\\d+/hosts/");

        AutomationException e = failure(() -> runner().launch(Specs.customerHosted("acme", PROFILE)));
        runner().launch(Specs.customerHosted("acme", PROFILE));

        assertThat(e.isTransient()).isTrue();
        assertThat(fake.launches()).hasSize(1);
        assertThat(fake.inventoryCount()).isEqualTo(2);
    }
}
