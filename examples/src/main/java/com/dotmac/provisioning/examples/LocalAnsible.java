package com.dotmac.provisioning.examples;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Finds what the local Ansible runner needs: {@code ansible-playbook} on the {@code PATH} and the repository's
 * {@code ansible/} project (in the working directory or its parent). The result becomes Spring's <em>default</em>
 * properties, so anything set on the command line, in the environment or in application.properties wins.
 */
public final class LocalAnsible {
    private LocalAnsible() {
    }

    /** @return Spring default properties that select the local runner when it is usable */
    public static Map<String, Object> defaults() {
        Map<String, Object> defaults = new LinkedHashMap<>();
        Path project = projectDirectory();
        if (project != null && onPath("ansible-playbook") && onPath("setsid")) {
            Path data = Path.of("data").toAbsolutePath().normalize();
            defaults.put("provisioning.ansible.project-dir", project.toString());
            defaults.put("provisioning.ansible.workspace", data.resolve("ansible-runs").toString());
            // the demo builds tenants under ./data/tenants (rendered files only: tenant_stack_start stays false)
            defaults.put("provisioning.ansible.extra-vars.tenant_workspace_root", data.resolve("tenants").toString());
        }
        return defaults;
    }

    /** @return the ansible/ project in the working directory or its parent, or null */
    public static @Nullable Path projectDirectory() {
        for (Path candidate : new Path[] {Path.of("ansible"), Path.of("..", "ansible")}) {
            if (Files.isRegularFile(candidate.resolve("playbooks").resolve("provision_tenant.yml"))) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        return null;
    }

    /** @param command a command name @return whether it is an executable on the PATH */
    public static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
