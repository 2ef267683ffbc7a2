package com.dotmac.provisioning.ansible;


import com.dotmac.provisioning.Operation;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link AnsiblePlaybookRunner} runs and where: the Ansible project, the workspace that holds one run directory
 * per job, the {@code ansible-playbook} command, the playbook per operation, the DotMac-hosted inventory, extra vars
 * and environment every run gets, and process limits. Immutable and thread-safe; made with {@link #builder()}.
 *
 * <p>Relative playbook, inventory and {@code ansible.cfg} paths are resolved against the project directory.
 */
public final class AnsibleRunnerConfig {
    /** The Ansible project when none is given: {@code ansible} in the working directory (the repository's layout). */
    public static final Path DEFAULT_PROJECT_DIRECTORY = Path.of("ansible");
    /** The workspace when none is given is this directory under {@code java.io.tmpdir}. */
    public static final String DEFAULT_WORKSPACE_DIRECTORY_NAME = "provisioning-ansible-runs";
    /** The {@code ansible-playbook} executable: looked up on {@code PATH} unless a path is given. */
    public static final String DEFAULT_ANSIBLE_PLAYBOOK_COMMAND = "ansible-playbook";
    /** The {@code setsid} executable (util-linux), which starts each run in its own process group. */
    public static final String DEFAULT_SETSID_COMMAND = "setsid";
    /** The playbook of {@link Operation#PROVISION}, relative to the project. */
    public static final String DEFAULT_PROVISION_PLAYBOOK = "playbooks/provision_tenant.yml";
    /** The playbook of {@link Operation#UPGRADE}, relative to the project. */
    public static final String DEFAULT_UPGRADE_PLAYBOOK = "playbooks/upgrade_tenant.yml";
    /** The playbook of {@link Operation#DECOMMISSION}, relative to the project. */
    public static final String DEFAULT_DECOMMISSION_PLAYBOOK = "playbooks/decommission_tenant.yml";
    /** The inventory of DotMac-hosted tenants, relative to the project. */
    public static final String DEFAULT_DOTMAC_HOSTED_INVENTORY = "inventories/dotmac_hosted/hosts.yml";
    /** The {@code ansible.cfg} passed as {@code ANSIBLE_CONFIG}, relative to the project; ignored when missing. */
    public static final String DEFAULT_ANSIBLE_CONFIG_FILE = "ansible.cfg";
    /** The inventory group a customer-hosted tenant's rendered inventory puts its host in. */
    public static final String DEFAULT_TARGET_GROUP = "tenant_targets";
    /**
     * The most {@code ansible-playbook} processes this runner has running at once; a launch over it fails
     * transiently. Keep the engine's {@code maxConcurrentRuns} at or below it so that jobs wait queued instead.
     */
    public static final int DEFAULT_MAX_CONCURRENT_RUNS = 8;
    /** How long a cancelled run may take to stop after SIGTERM before its process group gets SIGKILL. */
    public static final Duration DEFAULT_CANCEL_GRACE = Duration.ofSeconds(10);
    /**
     * How long a run directory may exist without the run having recorded its process id before the run counts as
     * never started (the JVM stopped between preparing and starting it).
     */
    public static final Duration DEFAULT_START_GRACE = Duration.ofSeconds(60);
    /** The longest failure detail (failed task, host, message) reported for a run. */
    public static final int DEFAULT_MAX_DETAIL_LENGTH = 1000;

    private final Path projectDirectory;
    private final Path workspace;
    private final String ansiblePlaybookCommand;
    private final String setsidCommand;
    private final Map<Operation, String> playbooks;
    private final String dotmacHostedInventory;
    private final String ansibleConfigFile;
    private final Map<String, Object> defaultExtraVars;
    private final Map<String, Object> fixedExtraVars;
    private final Map<String, String> environment;
    private final List<String> playbookArguments;
    private final int maxConcurrentRuns;
    private final Duration cancelGrace;
    private final Duration startGrace;
    private final int maxDetailLength;
    private final String targetGroup;
    private final CustomerCredentials customerCredentials;
    private final Clock clock;

    private AnsibleRunnerConfig(Builder b) {
        this.projectDirectory = b.projectDirectory.toAbsolutePath().normalize();
        this.workspace = (b.workspace != null ? b.workspace
                : Path.of(System.getProperty("java.io.tmpdir"), DEFAULT_WORKSPACE_DIRECTORY_NAME))
                .toAbsolutePath().normalize();
        this.ansiblePlaybookCommand =
                AnsibleRunnerConfigChecks.command(b.ansiblePlaybookCommand, "ansiblePlaybookCommand");
        this.setsidCommand = AnsibleRunnerConfigChecks.command(b.setsidCommand, "setsidCommand");
        for (Operation op : Operation.values()) {
            AnsibleRunnerConfigChecks.relativeOrAbsolute(b.playbooks.get(op), "playbook(" + op.wireName() + ")");
        }
        this.playbooks = Collections.unmodifiableMap(new EnumMap<>(b.playbooks));
        this.dotmacHostedInventory =
                AnsibleRunnerConfigChecks.relativeOrAbsolute(b.dotmacHostedInventory, "dotmacHostedInventory");
        this.ansibleConfigFile = AnsibleRunnerConfigChecks.relativeOrAbsolute(b.ansibleConfigFile, "ansibleConfigFile");
        this.defaultExtraVars = AnsibleRunnerConfigChecks.extraVars(b.defaultExtraVars, "defaultExtraVars");
        this.fixedExtraVars = AnsibleRunnerConfigChecks.extraVars(b.fixedExtraVars, "fixedExtraVars");
        this.environment = AnsibleRunnerConfigChecks.environment(b.environment);
        this.playbookArguments = AnsibleRunnerConfigChecks.playbookArguments(b.playbookArguments);
        if (b.maxConcurrentRuns < 1) {
            throw new IllegalArgumentException("maxConcurrentRuns must be at least 1, was " + b.maxConcurrentRuns);
        }
        this.maxConcurrentRuns = b.maxConcurrentRuns;
        this.cancelGrace = AnsibleRunnerConfigChecks.positive(b.cancelGrace, "cancelGrace");
        this.startGrace = AnsibleRunnerConfigChecks.positive(b.startGrace, "startGrace");
        if (b.maxDetailLength < 80) {
            throw new IllegalArgumentException("maxDetailLength must be at least 80, was " + b.maxDetailLength);
        }
        this.maxDetailLength = b.maxDetailLength;
        this.targetGroup = AnsibleRunnerConfigChecks.targetGroup(b.targetGroup);
        this.customerCredentials = b.customerCredentials;
        this.clock = b.clock;
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the Ansible project directory (absolute) */
    public Path projectDirectory() {
        return projectDirectory;
    }

    /** @return the directory holding one run directory per job (absolute) */
    public Path workspace() {
        return workspace;
    }

    /** @return the {@code ansible-playbook} command: a name looked up on {@code PATH}, or a path */
    public String ansiblePlaybookCommand() {
        return ansiblePlaybookCommand;
    }

    /** @return the {@code setsid} command: a name looked up on {@code PATH}, or a path */
    public String setsidCommand() {
        return setsidCommand;
    }

    /**
     * @param operation an operation
     * @return its playbook, resolved against the project directory
     */
    public Path playbook(Operation operation) {
        return resolve(Objects.requireNonNull(playbooks.get(operation), "every operation has a playbook"));
    }

    /** @return the DotMac-hosted inventory, resolved against the project directory */
    public Path dotmacHostedInventory() {
        return resolve(dotmacHostedInventory);
    }

    /** @return the {@code ansible.cfg} to use when it exists, resolved against the project directory */
    public Path ansibleConfigFile() {
        return resolve(ansibleConfigFile);
    }

    /** @return extra vars every run gets unless the job's own extra vars set them (e.g. {@code tenant_base_domain}) */
    public Map<String, Object> defaultExtraVars() {
        return defaultExtraVars;
    }

    /** @return extra vars every run gets, over the job's own (e.g. {@code tenant_workspace_root}) */
    public Map<String, Object> fixedExtraVars() {
        return fixedExtraVars;
    }

    /** @return environment variables added to the inherited environment of {@code ansible-playbook} */
    public Map<String, String> environment() {
        return environment;
    }

    /** @return arguments added to every {@code ansible-playbook} command line (e.g. {@code --forks=10}) */
    public List<String> playbookArguments() {
        return playbookArguments;
    }

    /** @return the most runs this runner has running at once */
    public int maxConcurrentRuns() {
        return maxConcurrentRuns;
    }

    /** @return how long after SIGTERM a cancelled run's process group gets SIGKILL */
    public Duration cancelGrace() {
        return cancelGrace;
    }

    /** @return how long a run may take to record its process id before it counts as never started */
    public Duration startGrace() {
        return startGrace;
    }

    /** @return the longest failure detail reported */
    public int maxDetailLength() {
        return maxDetailLength;
    }

    /** @return the inventory group of a customer-hosted tenant's host */
    public String targetGroup() {
        return targetGroup;
    }

    /** @return how a customer-hosted profile's {@code credential_ref} becomes an SSH private key file */
    public CustomerCredentials customerCredentials() {
        return customerCredentials;
    }

    /** @return the clock of run times (cancel requests, start grace) */
    public Clock clock() {
        return clock;
    }

    private Path resolve(String path) {
        return projectDirectory.resolve(path).normalize();
    }

    @Override
    public String toString() {
        return "AnsibleRunnerConfig[project=" + projectDirectory + ", workspace=" + workspace + ", ansiblePlaybook="
                + ansiblePlaybookCommand + ", playbooks=" + playbooks + ", dotmacHostedInventory="
                + dotmacHostedInventory + ", defaultExtraVars=" + defaultExtraVars.keySet() + ", fixedExtraVars="
                + fixedExtraVars.keySet() + ", environment=" + environment.keySet() + ", maxConcurrentRuns="
                + maxConcurrentRuns + ", cancelGrace=" + cancelGrace + "]";
    }

    /** A mutable builder; not thread-safe. */
    public static final class Builder {
        private Path projectDirectory = DEFAULT_PROJECT_DIRECTORY;
        private @Nullable Path workspace;
        private String ansiblePlaybookCommand = DEFAULT_ANSIBLE_PLAYBOOK_COMMAND;
        private String setsidCommand = DEFAULT_SETSID_COMMAND;
        private final Map<Operation, String> playbooks = new EnumMap<>(Map.of(
                Operation.PROVISION, DEFAULT_PROVISION_PLAYBOOK,
                Operation.UPGRADE, DEFAULT_UPGRADE_PLAYBOOK,
                Operation.DECOMMISSION, DEFAULT_DECOMMISSION_PLAYBOOK));
        private String dotmacHostedInventory = DEFAULT_DOTMAC_HOSTED_INVENTORY;
        private String ansibleConfigFile = DEFAULT_ANSIBLE_CONFIG_FILE;
        private final Map<String, Object> defaultExtraVars = new LinkedHashMap<>();
        private final Map<String, Object> fixedExtraVars = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final List<String> playbookArguments = new ArrayList<>();
        private int maxConcurrentRuns = DEFAULT_MAX_CONCURRENT_RUNS;
        private Duration cancelGrace = DEFAULT_CANCEL_GRACE;
        private Duration startGrace = DEFAULT_START_GRACE;
        private int maxDetailLength = DEFAULT_MAX_DETAIL_LENGTH;
        private String targetGroup = DEFAULT_TARGET_GROUP;
        private CustomerCredentials customerCredentials = CustomerCredentials.NONE;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** @param v the Ansible project (default {@link #DEFAULT_PROJECT_DIRECTORY}) @return this */
        public Builder projectDirectory(Path v) {
            this.projectDirectory = Objects.requireNonNull(v, "projectDirectory");
            return this;
        }

        /**
         * @param v the directory holding one run directory per job; created (mode 0700) when missing; must belong to
         *     the user running the JVM and be writable by nobody else (default: {@link #DEFAULT_WORKSPACE_DIRECTORY_NAME}
         *     under {@code java.io.tmpdir}). Runs survive a JVM restart as long as it is kept.
         * @return this
         */
        public Builder workspace(Path v) {
            this.workspace = Objects.requireNonNull(v, "workspace");
            return this;
        }

        /** @param v the {@code ansible-playbook} executable, a name on {@code PATH} or a path @return this */
        public Builder ansiblePlaybookCommand(String v) {
            this.ansiblePlaybookCommand = v;
            return this;
        }

        /** @param v the {@code setsid} executable, a name on {@code PATH} or a path @return this */
        public Builder setsidCommand(String v) {
            this.setsidCommand = v;
            return this;
        }

        /**
         * @param operation an operation
         * @param path its playbook, relative to the project or absolute
         * @return this
         */
        public Builder playbook(Operation operation, String path) {
            this.playbooks.put(Objects.requireNonNull(operation, "operation"), path);
            return this;
        }

        /** @param v the DotMac-hosted inventory, relative to the project or absolute @return this */
        public Builder dotmacHostedInventory(String v) {
            this.dotmacHostedInventory = v;
            return this;
        }

        /** @param v the {@code ansible.cfg}, relative to the project or absolute; ignored when missing @return this */
        public Builder ansibleConfigFile(String v) {
            this.ansibleConfigFile = v;
            return this;
        }

        /**
         * @param name an extra var every run gets unless the job sets it; not a reserved name
         * @param value its JSON-shaped value; strings must not contain Jinja delimiters
         * @return this
         */
        public Builder defaultExtraVar(String name, Object value) {
            this.defaultExtraVars.put(Objects.requireNonNull(name, "name"), value);
            return this;
        }

        /** @param vars extra vars every run gets unless the job sets them @return this */
        public Builder defaultExtraVars(Map<String, ?> vars) {
            this.defaultExtraVars.putAll(vars);
            return this;
        }

        /**
         * @param name an extra var every run gets, over the job's own value (e.g. {@code tenant_workspace_root}, so
         *     that no request can move a tenant's workspace); not a reserved name
         * @param value its JSON-shaped value
         * @return this
         */
        public Builder fixedExtraVar(String name, Object value) {
            this.fixedExtraVars.put(Objects.requireNonNull(name, "name"), value);
            return this;
        }

        /** @param vars extra vars every run gets, over the job's own @return this */
        public Builder fixedExtraVars(Map<String, ?> vars) {
            this.fixedExtraVars.putAll(vars);
            return this;
        }

        /**
         * @param name an environment variable for {@code ansible-playbook} (added to the JVM's environment)
         * @param value its value
         * @return this
         */
        public Builder environment(String name, String value) {
            this.environment.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** @param arguments added to every {@code ansible-playbook} command line @return this */
        public Builder playbookArguments(List<String> arguments) {
            this.playbookArguments.clear();
            this.playbookArguments.addAll(arguments);
            return this;
        }

        /** @param v the most runs running at once (default {@link #DEFAULT_MAX_CONCURRENT_RUNS}) @return this */
        public Builder maxConcurrentRuns(int v) {
            this.maxConcurrentRuns = v;
            return this;
        }

        /** @param v SIGTERM to SIGKILL delay of a cancel (default {@link #DEFAULT_CANCEL_GRACE}) @return this */
        public Builder cancelGrace(Duration v) {
            this.cancelGrace = v;
            return this;
        }

        /** @param v see {@link #DEFAULT_START_GRACE} @return this */
        public Builder startGrace(Duration v) {
            this.startGrace = v;
            return this;
        }

        /** @param v the longest failure detail (default {@link #DEFAULT_MAX_DETAIL_LENGTH}) @return this */
        public Builder maxDetailLength(int v) {
            this.maxDetailLength = v;
            return this;
        }

        /** @param v the group of a customer-hosted host (default {@link #DEFAULT_TARGET_GROUP}) @return this */
        public Builder targetGroup(String v) {
            this.targetGroup = Objects.requireNonNull(v, "targetGroup");
            return this;
        }

        /**
         * @param v resolves a customer-hosted job's registered credential to an SSH private key file (default
         *     {@link CustomerCredentials#NONE}: customer-hosted jobs are refused)
         * @return this
         */
        public Builder customerCredentials(CustomerCredentials v) {
            this.customerCredentials = Objects.requireNonNull(v, "customerCredentials");
            return this;
        }

        /** @param v the clock (default system UTC) @return this */
        public Builder clock(Clock v) {
            this.clock = Objects.requireNonNull(v, "clock");
            return this;
        }

        /**
         * @return the configuration
         * @throws IllegalArgumentException naming the first bad setting
         */
        public AnsibleRunnerConfig build() {
            return new AnsibleRunnerConfig(this);
        }
    }
}
