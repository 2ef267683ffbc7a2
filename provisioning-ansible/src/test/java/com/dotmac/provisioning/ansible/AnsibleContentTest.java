package com.dotmac.provisioning.ansible;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * How CI checks the repository's Ansible content ({@code ansible/}): every playbook passes
 * {@code ansible-playbook --syntax-check}, the content passes {@code ansible-lint}, and
 * {@code ansible/tests/run-tests.sh} (provision, re-run, upgrade, decommission, callback and inventory rendering on
 * localhost; about two minutes) passes. Runs first, as the longest test class.
 */
@Order(1)
@RequiresAnsible({"ansible-playbook", "ansible-inventory", "ansible-lint", "python3", "bash"})
class AnsibleContentTest {
    private final Path content = Fixtures.ansibleContent();

    @Test
    void everyPlaybookPassesTheSyntaxCheck() throws Exception {
        List<String> playbooks;
        try (Stream<Path> files = Files.list(content.resolve("playbooks"))) {
            playbooks = files.filter(f -> f.getFileName().toString().endsWith(".yml"))
                    .map(f -> content.relativize(f).toString()).sorted().toList();
        }
        assertThat(playbooks).contains("playbooks/provision_tenant.yml", "playbooks/upgrade_tenant.yml",
                "playbooks/decommission_tenant.yml", "playbooks/render_customer_inventory.yml");
        List<String> command = new ArrayList<>(List.of("ansible-playbook", "-i",
                "inventories/dotmac_hosted/hosts.yml", "--syntax-check"));
        command.addAll(playbooks);

        Commands.Result result = Commands.run(content, Duration.ofMinutes(2), Map.of("ANSIBLE_NOCOLOR", "1"), command);

        assertThat(result.exitCode()).as("%s", result).isZero();
        for (String playbook : playbooks) {
            assertThat(result.output()).as("%s", result).contains("playbook: " + playbook);
        }
    }

    @Test
    void theContentPassesAnsibleLint() throws Exception {
        Commands.Result result = Commands.run(content, Duration.ofMinutes(3), Map.of("ANSIBLE_NOCOLOR", "1"),
                List.of("ansible-lint"));

        assertThat(result.exitCode()).as("%s", result).isZero();
    }

    @Test
    void theContentsOwnTestsPass() throws Exception {
        Commands.Result result = Commands.run(content, Duration.ofMinutes(10), Map.of(),
                List.of("bash", content.resolve("tests/run-tests.sh").toString()));

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.output()).containsPattern("All \\d+ checks passed");
    }
}
