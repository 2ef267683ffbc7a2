package com.dotmac.provisioning.ansible;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.ConnectionProfile;
import com.dotmac.provisioning.ansible.internal.CustomerInventory;
import com.dotmac.provisioning.ansible.internal.AnsibleJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inventory the runner renders for a customer-hosted tenant is, as Ansible reads it, the one the project's
 * {@code render_customer_inventory.yml} renders from the same connection profile.
 */
@RequiresAnsible
class CustomerInventoryTest {
    private static final ConnectionProfile GAMMA = new ConnectionProfile("customer.example.net", 2222, "deploy",
            "awx-credential-17", new ConnectionProfile.Bastion("bastion.example.net", 2200, "jump"));
    private static final ConnectionProfile DELTA = new ConnectionProfile("2001:db8::7", 22, "ops", "17",
            new ConnectionProfile.Bastion("2001:db8::1", 22, "jump"));

    @TempDir
    Path temp;

    @Test
    void theRunnersInventoryIsTheOneTheProjectsTemplateRenders() throws Exception {
        Path key = Path.of("/etc/provisioning/keys/gamma");
        Path javaGamma = write("java-gamma.yml", CustomerInventory.render("gamma", "tenant_targets", GAMMA, key));
        Path javaDelta = write("java-delta.yml", CustomerInventory.render("delta", "tenant_targets", DELTA, null));
        Path templateGamma = renderWithTemplate("gamma", GAMMA, key);
        Path templateDelta = renderWithTemplate("delta", DELTA, null);

        String fromJava = inventory(javaGamma, javaDelta);
        String fromTemplate = inventory(templateGamma, templateDelta);

        // the runner also tags every string !unsafe (never templated), which ansible-inventory shows as a wrapper
        assertThat(fromJava).contains("{\"__ansible_unsafe\":\"customer.example.net\"}");
        assertThat(fromJava.replaceAll("\\{\"__ansible_unsafe\":(\"[^\"]*\")}", "$1")).isEqualTo(fromTemplate);
        assertThat(fromTemplate).contains("-o ProxyJump=jump@bastion.example.net:2200", "-o ProxyJump=jump@[2001:db8::1]:22",
                        "/etc/provisioning/keys/gamma");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(temp.resolve(name), content);
    }

    private Path renderWithTemplate(String slug, ConnectionProfile profile, @Nullable Path key) throws Exception {
        Path output = temp.resolve("template-" + slug + ".yml");
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("tenant_slug", slug);
        vars.put("connection_profile", profile.toMap());
        vars.put("tenant_inventory_path", output.toString());
        if (key != null) {
            vars.put("tenant_ssh_private_key_file", key.toString());
        }
        Path varsFile = write("vars-" + slug + ".json", AnsibleJson.write(vars));
        Commands.Result result = Commands.run(temp, "ansible-playbook", "-i", "localhost,",
                Fixtures.ansibleContent().resolve("playbooks/render_customer_inventory.yml").toString(),
                "-e", "@" + varsFile);
        assertThat(result.exitCode()).as("%s", result).isZero();
        return output;
    }

    /** @return the inventory as {@code ansible-inventory --list} shows it, as compact JSON */
    private String inventory(Path first, Path second) throws Exception {
        Commands.Result result = Commands.run(temp, "ansible-inventory", "-i", first.toString(), "-i",
                second.toString(), "--list");
        assertThat(result.exitCode()).as("%s", result).isZero();
        String output = result.output();
        return AnsibleJson.write(AnsibleJson.readObject(output.substring(output.indexOf('{'))));
    }
}
