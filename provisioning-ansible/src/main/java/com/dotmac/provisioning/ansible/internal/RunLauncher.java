package com.dotmac.provisioning.ansible.internal;

import com.dotmac.provisioning.ConnectionProfile;
import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ansible.AnsibleErrorCodes;
import com.dotmac.provisioning.ansible.CustomerCredentials;
import com.dotmac.provisioning.ansible.AnsibleRunnerConfig;
import com.dotmac.provisioning.rules.InputRules;
import com.dotmac.provisioning.spi.AutomationException;
import com.dotmac.provisioning.spi.LaunchSpec;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Prepares and starts one run: checks that the job can run ({@link #plan}), writes the run directory (extra vars and
 * a customer-hosted inventory mode 0600, the wrapper, the callback plugin, {@code run.json}) and starts the wrapper
 * with {@code setsid}, so that the run has its own process group. Thread-safe (holds only the configuration).
 */
public final class RunLauncher {
    private static final String RESOURCES = "/com/dotmac/provisioning/ansible/internal/";
    private static final String PLUGIN = "provisioning_events.py";
    private static final String SHELL = "/bin/sh";

    private final AnsibleRunnerConfig config;
    private final byte[] script;
    private final byte[] plugin;

    /** @param config the runner's configuration */
    public RunLauncher(AnsibleRunnerConfig config) {
        this.config = config;
        this.script = resource(RunDirectory.SCRIPT);
        this.plugin = resource(PLUGIN);
    }

    /**
     * Decides everything about a run before anything is written.
     *
     * @param spec the job to run
     * @return what to run
     * @throws AutomationException permanent, when the runner is not set up for the job or the job cannot run
     */
    public Plan plan(LaunchSpec spec) {
        ProvisioningJob job = spec.job();
        if (!RunDirectory.isRunId(spec.correlationId())) {
            throw AutomationException.permanent(AnsibleErrorCodes.INVALID_JOB, "job id '" + spec.correlationId()
                    + "' cannot name a run directory (letters, digits, '.', '_' and '-', at most 128)");
        }
        String unsafe = firstTemplatePath(spec.extraVars(), "extra_vars");
        if (unsafe != null) {
            throw AutomationException.permanent(AnsibleErrorCodes.INVALID_JOB, unsafe + " contains Jinja delimiters"
                    + " ('{{', '{%', '{#') or NUL characters, which Ansible would evaluate; the run was not started");
        }
        Path inventory = null;
        String renderedInventory = null;
        if (job.deploymentMode() == DeploymentMode.CUSTOMER_HOSTED) {
            ConnectionProfile profile = job.connectionProfile();
            if (profile == null) {
                throw AutomationException.permanent(AnsibleErrorCodes.INVALID_JOB,
                        "a customer_hosted job needs a connection profile");
            }
            if (config.customerCredentials() == CustomerCredentials.NONE) {
                throw AutomationException.permanent(AnsibleErrorCodes.CONFIGURATION, "customer_hosted jobs need a"
                        + " credential source: configure the key file of each registered credential"
                        + " (provisioning.ansible.customer-key-files.<credential>, CustomerCredentials.keyFiles), or"
                        + " CustomerCredentials.SSH_DEFAULTS to log in with the JVM user's own keys");
            }
            String credential = spec.runnerCredential();
            if (credential == null) {
                throw AutomationException.permanent(AnsibleErrorCodes.INVALID_JOB, "a customer_hosted job needs a"
                        + " credential resolved by the CredentialPolicy");
            }
            renderedInventory = CustomerInventory.render(job.tenantSlug(), config.targetGroup(), profile,
                    privateKeyFile(credential));
        } else {
            inventory = config.dotmacHostedInventory();
            requireFile(inventory, "the dotmac_hosted inventory");
        }
        Path playbook = config.playbook(job.operation());
        requireFile(playbook, "the playbook of '" + job.operation().wireName() + "'");
        String searchPath = config.environment().getOrDefault("PATH", System.getenv("PATH"));
        Path ansiblePlaybook = Executables.find(config.ansiblePlaybookCommand(), searchPath)
                .orElseThrow(() -> AutomationException.permanent(AnsibleErrorCodes.CONFIGURATION,
                        "'" + config.ansiblePlaybookCommand() + "' was not found on PATH: install ansible-core"
                                + " (2.14 or newer) or configure the ansible-playbook command"));
        Path setsid = Executables.find(config.setsidCommand(), searchPath)
                .orElseThrow(() -> AutomationException.permanent(AnsibleErrorCodes.CONFIGURATION,
                        "'" + config.setsidCommand() + "' was not found on PATH: install util-linux (the local"
                                + " runner starts each run in its own process group with setsid)"));
        Map<String, Object> vars = new LinkedHashMap<>(config.defaultExtraVars());
        vars.putAll(spec.extraVars());
        vars.putAll(config.fixedExtraVars());
        return new Plan(spec.correlationId(), playbook, inventory, renderedInventory, AnsibleJson.write(vars),
                runJson(spec, playbook, inventory, vars.keySet()), ansiblePlaybook, setsid);
    }

    /**
     * Writes the run directory's files and starts the run. The directory must have just been created.
     *
     * @param dir the run directory
     * @param plan what to run
     * @return the wrapper process
     * @throws IOException when a file could not be written or the process not started
     */
    public Process start(RunDirectory dir, Plan plan) throws IOException {
        dir.writePrivate(RunDirectory.RUN_JSON, plan.runJson);
        dir.writePrivate(RunDirectory.EXTRA_VARS, plan.extraVarsJson);
        Path inventory = plan.inventory;
        if (plan.renderedInventory != null) {
            dir.writePrivate(RunDirectory.INVENTORY, plan.renderedInventory);
            inventory = dir.file(RunDirectory.INVENTORY);
        }
        dir.writeExecutable(RunDirectory.SCRIPT, script);
        dir.writeExecutable(RunDirectory.PLUGINS + "/" + PLUGIN, plugin);
        dir.createPrivateDirectory(RunDirectory.TMP);
        dir.writePrivate(RunDirectory.WRAPPER_LOG, "");

        List<String> command = new ArrayList<>(List.of(plan.setsid.toString(), SHELL,
                dir.file(RunDirectory.SCRIPT).toString(), plan.ansiblePlaybook.toString(),
                "-i", Objects.requireNonNull(inventory, "inventory").toString(), plan.playbook.toString(),
                "-e", "@" + dir.file(RunDirectory.EXTRA_VARS)));
        command.addAll(config.playbookArguments());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.path().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.file(RunDirectory.WRAPPER_LOG).toFile()));
        environment(builder.environment(), dir);
        return builder.start();
    }

    private void environment(Map<String, String> env, RunDirectory dir) {
        env.remove("ANSIBLE_DEBUG");
        env.putAll(config.environment());
        Path ansibleConfig = config.ansibleConfigFile();
        if (!config.environment().containsKey("ANSIBLE_CONFIG") && Files.isRegularFile(ansibleConfig)) {
            env.put("ANSIBLE_CONFIG", ansibleConfig.toString());
        }
        String plugins = dir.file(RunDirectory.PLUGINS).toString();
        String otherPlugins = env.get("ANSIBLE_CALLBACK_PLUGINS");
        env.put("ANSIBLE_CALLBACK_PLUGINS",
                otherPlugins == null || otherPlugins.isBlank() ? plugins : plugins + File.pathSeparator + otherPlugins);
        env.put("PROVISIONING_EVENTS_FILE", dir.file(RunDirectory.EVENTS).toString());
        env.put("ANSIBLE_LOCAL_TEMP", dir.file(RunDirectory.TMP).toString());
        // module arguments (the callback token among them) must not stay behind in temporary files
        env.put("ANSIBLE_KEEP_REMOTE_FILES", "False");
        env.put("ANSIBLE_RETRY_FILES_ENABLED", "False");
        env.put("ANSIBLE_NOCOLOR", "1");
        env.put("ANSIBLE_FORCE_COLOR", "0");
        env.put("PYTHONUNBUFFERED", "1");
    }

    private @Nullable Path privateKeyFile(String runnerCredential) {
        try {
            return config.customerCredentials().privateKeyFile(runnerCredential).orElse(null);
        } catch (IllegalArgumentException e) {
            throw AutomationException.permanent(AnsibleErrorCodes.INVALID_JOB,
                    "the job's credential was not resolved to a key file: " + e.getMessage());
        }
    }

    private String runJson(LaunchSpec spec, Path playbook, @Nullable Path inventory, java.util.Set<String> varNames) {
        ProvisioningJob job = spec.job();
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("job_id", job.id());
        run.put("tenant_id", job.tenantId());
        run.put("tenant_slug", job.tenantSlug());
        run.put("operation", job.operation().wireName());
        run.put("deployment_mode", job.deploymentMode().wireName());
        run.put("playbook", playbook.toString());
        run.put("inventory", inventory == null ? RunDirectory.INVENTORY + " (rendered from the connection profile)"
                : inventory.toString());
        run.put("extra_var_names", List.copyOf(new TreeSet<>(varNames)));
        run.put("launch_pending_since", spec.launchPendingSince().toString());
        run.put("created_at", config.clock().instant().toString());
        return AnsibleJson.write(run) + "\n";
    }

    /**
     * @param runJson the text of a {@code run.json}
     * @return its creation time, or empty when it has none
     */
    public static Optional<Instant> createdAt(String runJson) {
        try {
            Object created = AnsibleJson.readObject(runJson).get("created_at");
            return created == null ? Optional.empty() : Optional.of(Instant.parse(created.toString()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void requireFile(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw AutomationException.permanent(AnsibleErrorCodes.CONFIGURATION, what + " does not exist: " + file);
        }
    }

    /** @return the path of the first string (or key) Ansible would evaluate as a template, or null */
    private static @Nullable String firstTemplatePath(@Nullable Object value, String path) {
        if (value instanceof String s) {
            return InputRules.templateSafe(s) == null ? null : path;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String child = path + "." + e.getKey();
                String bad = firstTemplatePath(String.valueOf(e.getKey()), child);
                if (bad == null) {
                    bad = firstTemplatePath(e.getValue(), child);
                }
                if (bad != null) {
                    return bad;
                }
            }
        } else if (value instanceof Iterable<?> list) {
            int i = 0;
            for (Object item : list) {
                String bad = firstTemplatePath(item, path + "[" + i++ + "]");
                if (bad != null) {
                    return bad;
                }
            }
        }
        return null;
    }

    private static byte[] resource(String name) {
        try (InputStream in = RunLauncher.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCES + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Everything about one run, decided before anything is written. Holds the extra vars, which may include the
     * callback token: {@link #toString()} does not show them.
     */
    public static final class Plan {
        private final String runId;
        private final Path playbook;
        private final @Nullable Path inventory;
        private final @Nullable String renderedInventory;
        private final String extraVarsJson;
        private final String runJson;
        private final Path ansiblePlaybook;
        private final Path setsid;

        Plan(String runId, Path playbook, @Nullable Path inventory, @Nullable String renderedInventory,
                String extraVarsJson, String runJson, Path ansiblePlaybook, Path setsid) {
            this.runId = runId;
            this.playbook = playbook;
            this.inventory = inventory;
            this.renderedInventory = renderedInventory;
            this.extraVarsJson = extraVarsJson;
            this.runJson = runJson;
            this.ansiblePlaybook = ansiblePlaybook;
            this.setsid = setsid;
        }

        /** @return the run id */
        public String runId() {
            return runId;
        }

        /** @return the playbook */
        public Path playbook() {
            return playbook;
        }

        @Override
        public String toString() {
            return "Plan[run=" + runId + ", playbook=" + playbook + ", inventory="
                    + (inventory != null ? inventory : "rendered") + "]";
        }
    }
}
