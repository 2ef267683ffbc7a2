package com.dotmac.provisioning.ansible.internal;

import com.dotmac.provisioning.ConnectionProfile;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Renders a customer-hosted tenant's inventory from its connection profile: the YAML that the Ansible project's
 * {@code inventories/customer_hosted/hosts.yml.j2} renders. One host, named after the tenant's slug, in the target
 * group, with {@code ansible_host}, {@code ansible_port}, {@code ansible_user}, optionally
 * {@code ansible_ssh_private_key_file} and, through a bastion, {@code ansible_ssh_common_args: -o ProxyJump=...}.
 *
 * <p>Every string is written as a JSON string (valid YAML) tagged {@code !unsafe}, so no value can change the
 * inventory's structure or be evaluated as a Jinja template. Thread-safe (stateless).
 */
public final class CustomerInventory {
    private CustomerInventory() {
    }

    /**
     * @param slug the tenant's slug (a DNS label: the host's inventory name)
     * @param group the group the playbooks run against
     * @param profile the connection profile
     * @param privateKeyFile the SSH key to log in with, or null to let {@code ssh} choose
     * @return the inventory's YAML text
     */
    public static String render(String slug, String group, ConnectionProfile profile, @Nullable Path privateKeyFile) {
        StringBuilder yaml = new StringBuilder()
                .append("---\n")
                .append("# Rendered by the provisioning library's local runner from the connection profile of tenant ")
                .append(AnsibleJson.write(slug)).append(".\n")
                .append("all:\n")
                .append("  children:\n")
                .append("    ").append(group).append(":\n")
                .append("      hosts:\n")
                .append("        ").append(AnsibleJson.write(slug)).append(":\n");
        variable(yaml, "ansible_host", unsafe(profile.host()));
        variable(yaml, "ansible_port", Integer.toString(profile.port()));
        variable(yaml, "ansible_user", unsafe(profile.user()));
        if (privateKeyFile != null) {
            variable(yaml, "ansible_ssh_private_key_file", unsafe(privateKeyFile.toString()));
        }
        ConnectionProfile.Bastion bastion = profile.bastion();
        if (bastion != null) {
            String jumpHost = bastion.host().contains(":") ? "[" + bastion.host() + "]" : bastion.host();
            variable(yaml, "ansible_ssh_common_args",
                    unsafe("-o ProxyJump=" + bastion.user() + "@" + jumpHost + ":" + bastion.port()));
        }
        return yaml.toString();
    }

    private static void variable(StringBuilder yaml, String name, String value) {
        yaml.append("          ").append(name).append(": ").append(value).append('\n');
    }

    private static String unsafe(String value) {
        return "!unsafe " + AnsibleJson.write(value);
    }
}
