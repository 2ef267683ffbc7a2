package com.dotmac.provisioning.ansible;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dotmac.provisioning.Operation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnsibleRunnerConfigTest {
    @Test
    void theDefaultsRunTheRepositoryLayoutsPlaybooks() {
        AnsibleRunnerConfig config = AnsibleRunnerConfig.builder().projectDirectory(Path.of("/srv/project")).build();

        assertThat(config.playbook(Operation.PROVISION)).isEqualTo(Path.of("/srv/project/playbooks/provision_tenant.yml"));
        assertThat(config.playbook(Operation.UPGRADE)).isEqualTo(Path.of("/srv/project/playbooks/upgrade_tenant.yml"));
        assertThat(config.playbook(Operation.DECOMMISSION))
                .isEqualTo(Path.of("/srv/project/playbooks/decommission_tenant.yml"));
        assertThat(config.dotmacHostedInventory())
                .isEqualTo(Path.of("/srv/project/inventories/dotmac_hosted/hosts.yml"));
        assertThat(config.ansibleConfigFile()).isEqualTo(Path.of("/srv/project/ansible.cfg"));
        assertThat(config.workspace()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"),
                AnsibleRunnerConfig.DEFAULT_WORKSPACE_DIRECTORY_NAME).toAbsolutePath());
        assertThat(config.ansiblePlaybookCommand()).isEqualTo("ansible-playbook");
        assertThat(config.maxConcurrentRuns()).isEqualTo(AnsibleRunnerConfig.DEFAULT_MAX_CONCURRENT_RUNS);
        assertThat(config.cancelGrace()).isEqualTo(AnsibleRunnerConfig.DEFAULT_CANCEL_GRACE);
        assertThat(config.targetGroup()).isEqualTo("tenant_targets");
        assertThat(AnsibleRunnerConfig.builder().build().projectDirectory())
                .isEqualTo(Path.of("ansible").toAbsolutePath());
    }

    @Test
    void relativePathsResolveAgainstTheProjectAndAbsoluteOnesStay() {
        AnsibleRunnerConfig config = AnsibleRunnerConfig.builder().projectDirectory(Path.of("/srv/project"))
                .playbook(Operation.UPGRADE, "site/upgrade.yml")
                .dotmacHostedInventory("/etc/ansible/tenants.yml")
                .build();

        assertThat(config.playbook(Operation.UPGRADE)).isEqualTo(Path.of("/srv/project/site/upgrade.yml"));
        assertThat(config.dotmacHostedInventory()).isEqualTo(Path.of("/etc/ansible/tenants.yml"));
    }

    @Test
    void badSettingsAreRefusedByName() {
        assertThatThrownBy(() -> AnsibleRunnerConfig.builder().maxConcurrentRuns(0).build())
                .hasMessageContaining("maxConcurrentRuns");
        assertThatThrownBy(() -> AnsibleRunnerConfig.builder().cancelGrace(Duration.ZERO).build())
                .hasMessageContaining("cancelGrace");
        assertThatThrownBy(() -> AnsibleRunnerConfig.builder().ansiblePlaybookCommand(" ").build())
                .hasMessageContaining("ansiblePlaybookCommand");
        assertThatThrownBy(() -> AnsibleRunnerConfig.builder().playbook(Operation.PROVISION, "").build())
                .hasMessageContaining("playbook(provision)");
        assertThatThrownBy(() -> AnsibleRunnerConfig.builder().environment("NOT-A-NAME", "x").build())
                .hasMessageContaining("environment");
        assertThatThrownBy(() -> AnsibleRunnerConfig.builder().targetGroup("tenant targets").build())
                .hasMessageContaining("targetGroup");
        assertThatThrownBy(() -> AnsibleRunnerConfig.builder().maxDetailLength(10).build())
                .hasMessageContaining("maxDetailLength");
    }

    @Test
    void extraVarsMayNotShadowReservedNamesNorCarryTemplates() {
        assertThatThrownBy(() -> AnsibleRunnerConfig.builder().defaultExtraVar("tenant_id", "x").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("defaultExtraVars.tenant_id");
        assertThatThrownBy(() -> AnsibleRunnerConfig.builder().fixedExtraVar("ansible_user", "root").build())
                .hasMessageContaining("fixedExtraVars.ansible_user");
        assertThatThrownBy(() -> AnsibleRunnerConfig.builder()
                .defaultExtraVars(Map.of("tenant_base_domain", "{{ lookup('pipe', 'id') }}")).build())
                .hasMessageContaining("defaultExtraVars.tenant_base_domain").hasMessageContaining("Jinja");
    }

    @Test
    void toStringShowsExtraVarNamesButNotTheirValues() {
        AnsibleRunnerConfig config = AnsibleRunnerConfig.builder()
                .fixedExtraVar("tenant_workspace_root", "/srv/tenants")
                .environment("VAULT_TOKEN", "s3cr3t")
                .build();

        assertThat(config.toString()).contains("tenant_workspace_root", "VAULT_TOKEN").doesNotContain("s3cr3t")
                .doesNotContain("/srv/tenants");
    }
}
