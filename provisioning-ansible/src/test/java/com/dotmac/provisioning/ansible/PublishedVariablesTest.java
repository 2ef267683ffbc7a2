package com.dotmac.provisioning.ansible;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dotmac.provisioning.PlaybookVariables;
import com.dotmac.provisioning.policy.RequestVariable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The library and the Ansible content agree on the names a request may never set: every name that
 * {@code ansible/variables.yml} publishes (kept complete by {@code ansible/tests/run-tests.sh}) is refused in a
 * request and cannot be declared by a host. Needs no Ansible: it reads the file.
 */
class PublishedVariablesTest {
    private static final Pattern KEY = Pattern.compile("^([a-z_]+):\\s*$");
    private static final Pattern ITEM = Pattern.compile("^\\s+-\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*$");

    /** @return the lists of {@code ansible/variables.yml} by key (a flat YAML file of lists of names) */
    static Map<String, List<String>> published() throws IOException {
        Map<String, List<String>> lists = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : Files.readAllLines(Fixtures.ansibleContent().resolve("variables.yml"))) {
            Matcher key = KEY.matcher(line);
            Matcher item = ITEM.matcher(line);
            if (key.matches()) {
                current = lists.computeIfAbsent(key.group(1), k -> new ArrayList<>());
            } else if (item.matches() && current != null) {
                current.add(item.group(1));
            }
        }
        return lists;
    }

    @Test
    void theFilePublishesThePlatformsNamesTheSettingsAndTheInternals() throws IOException {
        Map<String, List<String>> lists = published();

        assertThat(lists).containsOnlyKeys("platform", "settings", "internal");
        assertThat(lists.get("platform")).containsAll(PlaybookVariables.RESERVED);
        assertThat(lists.get("settings")).contains("tenant_docker_compose_command", "tenant_proxy_reload_command",
                "tenant_workspace_root", "tenant_proxy_site_file", "tenant_public_hostname", "tenant_stack_start",
                "tenant_stack_purge_data", "tenant_become");
        assertThat(lists.get("internal")).isNotEmpty();
    }

    @Test
    void everyNameTheContentUsesIsRefusedInARequestAndCannotBeDeclared() throws IOException {
        List<String> names = new ArrayList<>();
        published().values().forEach(names::addAll);

        assertThat(names).hasSizeGreaterThan(40).allSatisfy(name -> {
            assertThat(PlaybookVariables.isReserved(name)).as(name).isTrue();
            assertThatThrownBy(() -> RequestVariable.string(name).build()).as(name)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be declared");
        });
    }

    @Test
    void aHostSettingMayBeAFixedExtraVarOfTheLocalRunner() throws IOException {
        List<String> settings = published().get("settings");
        AnsibleRunnerConfig.Builder config = AnsibleRunnerConfig.builder().projectDirectory(Path.of("."));
        settings.forEach(name -> config.fixedExtraVar(name, "x"));

        assertThat(config.build().fixedExtraVars()).containsOnlyKeys(settings.toArray(String[]::new));
    }
}
