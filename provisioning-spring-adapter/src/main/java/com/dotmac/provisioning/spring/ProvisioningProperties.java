package com.dotmac.provisioning.spring;

import com.dotmac.provisioning.EngineSettings;
import com.dotmac.provisioning.ansible.AnsibleRunnerConfig;
import com.dotmac.provisioning.awx.AwxConfig;
import com.dotmac.provisioning.jdbc.JdbcTenantDirectory;
import com.dotmac.provisioning.spring.web.ProvisioningController;
import com.dotmac.provisioning.spring.web.SpringSecurityAccessPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Every setting of the library under the prefix {@code provisioning} (README "Spring Boot"). Defaults are the
 * library's own {@code DEFAULT_*} constants ({@link EngineSettings}, {@code AnsibleRunnerConfig},
 * {@code JdbcTenantDirectory}, ...), so plain Java and Spring behave alike. The runner and JDBC modules are optional
 * dependencies: only their compile-time constants (which javac copies into this class) may be used here, never a
 * {@code Duration} or any other object of theirs; the AWX timeouts therefore repeat {@code AwxConfig}'s values, and
 * a test holds every default, and the configuration metadata, to its constant.
 */
@ConfigurationProperties("provisioning")
public class ProvisioningProperties {

    /** Whether the provisioning library is configured at all. */
    private boolean enabled = true;

    /**
     * Which automation runner to use: {@code awx}, {@code ansible} (local ansible-playbook), {@code scripted}
     * (simulated, for demos and tests), or {@code auto} (AWX when provisioning.awx.base-url is set, else local
     * Ansible when provisioning.ansible.project-dir is set). An AutomationRunner bean of the host always wins.
     */
    private RunnerType runner = RunnerType.AUTO;

    /** AWX / Ansible Automation Platform. */
    @NestedConfigurationProperty
    private final AwxProperties awx = new AwxProperties();

    /** The local Ansible runner. */
    private final Ansible ansible = new Ansible();

    /** How the engine paces its work. */
    @NestedConfigurationProperty
    private final EngineProperties engine = new EngineProperties();

    /** Retention of finished jobs (off unless provisioning.retention.finished-jobs-after is set). */
    @NestedConfigurationProperty
    private final RetentionProperties retention = new RetentionProperties();

    /** The playbooks' callback to the platform. */
    private final Callback callback = new Callback();

    /** The REST API. */
    private final Web web = new Web();

    /** The JDBC job repository. */
    private final Jdbc jdbc = new Jdbc();

    /** The host's tenants table, when JdbcTenantDirectory is used instead of a TenantDirectory bean. */
    private final Tenants tenants = new Tenants();

    /** The actuator health of the library (the health indicator named provisioning). */
    @NestedConfigurationProperty
    private final HealthProperties health = new HealthProperties();
    /** Signed CloudEvents webhooks (needs provisioning-webhooks): subscriptions and delivery settings. */
    @NestedConfigurationProperty
    private final WebhooksProperties webhooks = new WebhooksProperties();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public RunnerType getRunner() {
        return runner;
    }

    public void setRunner(RunnerType runner) {
        this.runner = runner;
    }

    public AwxProperties getAwx() {
        return awx;
    }

    public Ansible getAnsible() {
        return ansible;
    }

    public EngineProperties getEngine() {
        return engine;
    }

    public RetentionProperties getRetention() {
        return retention;
    }

    public Callback getCallback() {
        return callback;
    }

    public Web getWeb() {
        return web;
    }

    public Jdbc getJdbc() {
        return jdbc;
    }

    public Tenants getTenants() {
        return tenants;
    }

    public HealthProperties getHealth() {
        return health;
    }

    public WebhooksProperties getWebhooks() {
        return webhooks;
    }

    /** Which runner executes the automation. */
    public enum RunnerType {
        /** AWX when its base URL is set, else local Ansible when its project directory is set. */
        AUTO,
        /** AWX / Ansible Automation Platform job templates. */
        AWX,
        /** ansible-playbook on this machine. */
        ANSIBLE,
        /** Simulated runs (ScriptedAutomationRunner): nothing is provisioned. */
        SCRIPTED
    }

    /** Local Ansible runner settings. */
    public static class Ansible {
        /** The Ansible project: the directory holding playbooks/, roles/ and inventories/. Enables the runner. */
        private @Nullable Path projectDir;

        /** Where the runner keeps one directory per job's run (default: the system temp directory). */
        private @Nullable Path workspace;

        /** The ansible-playbook executable (a name looked up on the PATH, or a path). */
        private String ansiblePlaybookCommand = AnsibleRunnerConfig.DEFAULT_ANSIBLE_PLAYBOOK_COMMAND;

        /** The most ansible-playbook processes at once; jobs over it wait queued. */
        private int maxConcurrentRuns = AnsibleRunnerConfig.DEFAULT_MAX_CONCURRENT_RUNS;

        /**
         * Extra vars every run gets and a request cannot override, e.g. tenant_workspace_root or
         * tenant_base_domain (settings of the operator).
         */
        private Map<String, String> extraVars = new LinkedHashMap<>();

        /**
         * Private key file per registered runner credential, for customer-hosted jobs (without it, or
         * customer-ssh-defaults, customer-hosted jobs are refused).
         */
        private Map<String, Path> customerKeyFiles = new LinkedHashMap<>();

        /** Let ssh log in to customer servers with the JVM user's agent and default keys (an explicit choice). */
        private boolean customerSshDefaults;

        public Map<String, Path> getCustomerKeyFiles() {
            return customerKeyFiles;
        }

        public void setCustomerKeyFiles(Map<String, Path> customerKeyFiles) {
            this.customerKeyFiles = customerKeyFiles;
        }

        public boolean isCustomerSshDefaults() {
            return customerSshDefaults;
        }

        public void setCustomerSshDefaults(boolean customerSshDefaults) {
            this.customerSshDefaults = customerSshDefaults;
        }

        public String getAnsiblePlaybookCommand() {
            return ansiblePlaybookCommand;
        }

        public void setAnsiblePlaybookCommand(String ansiblePlaybookCommand) {
            this.ansiblePlaybookCommand = ansiblePlaybookCommand;
        }

        public int getMaxConcurrentRuns() {
            return maxConcurrentRuns;
        }

        public void setMaxConcurrentRuns(int maxConcurrentRuns) {
            this.maxConcurrentRuns = maxConcurrentRuns;
        }

        public Map<String, String> getExtraVars() {
            return extraVars;
        }

        public void setExtraVars(Map<String, String> extraVars) {
            this.extraVars = extraVars;
        }

        public @Nullable Path getProjectDir() {
            return projectDir;
        }

        public void setProjectDir(@Nullable Path projectDir) {
            this.projectDir = projectDir;
        }

        public @Nullable Path getWorkspace() {
            return workspace;
        }

        public void setWorkspace(@Nullable Path workspace) {
            this.workspace = workspace;
        }
    }

    /** Callback settings. */
    public static class Callback {
        /**
         * The platform's external base URL as the automation reaches it, e.g. https://platform.example.com. With
         * a secret, playbooks receive platform_callback_url and platform_callback_token.
         */
        private @Nullable String baseUrl;

        /** Secret (at least 32 characters) that signs each job's callback token. Never logged. */
        private @Nullable String secret;

        /** How long after a job ended its callback is still accepted. */
        private Duration grace = EngineSettings.DEFAULT_CALLBACK_GRACE;

        public Duration getGrace() {
            return grace;
        }

        public void setGrace(Duration grace) {
            this.grace = grace;
        }

        public @Nullable String getBaseUrl() {
            return baseUrl;
        }

        public void setBaseUrl(@Nullable String baseUrl) {
            this.baseUrl = baseUrl;
        }

        public @Nullable String getSecret() {
            return secret;
        }

        public void setSecret(@Nullable String secret) {
            this.secret = secret;
        }

        @Override
        public String toString() {
            return "Callback[baseUrl=" + baseUrl + ", secret=" + (secret == null ? "none" : "****") + "]";
        }
    }

    /** REST API settings. */
    public static class Web {
        /** Whether the REST API is exposed. */
        private boolean enabled = true;

        /** Base path of the REST API. */
        private String basePath = ProvisioningController.DEFAULT_BASE_PATH;

        /** Authority needed to read jobs. */
        private String readAuthority = SpringSecurityAccessPolicy.DEFAULT_READ_AUTHORITY;

        /** Authority needed to create, cancel and retry jobs. */
        private String writeAuthority = SpringSecurityAccessPolicy.DEFAULT_WRITE_AUTHORITY;

        /**
         * Access control: {@code spring-security} (required for the API to be exposed) or {@code none}, which
         * exposes the API without any check (logged as a warning; for local demos only).
         */
        private WebSecurity security = WebSecurity.SPRING_SECURITY;

        /**
         * Whether the library contributes its own security chain for the callback path (before the host's chains;
         * the job token authenticates). Off: the host's chains must let the callback through unauthenticated.
         */
        private boolean callbackSecurity = true;

        /** The live event streams (Server-Sent Events) of jobs and rollouts. */
        @NestedConfigurationProperty
        private final EventStreamProperties eventStream = new EventStreamProperties();

        public EventStreamProperties getEventStream() {
            return eventStream;
        }

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getBasePath() {
            return basePath;
        }

        public void setBasePath(String basePath) {
            this.basePath = basePath;
        }

        public String getReadAuthority() {
            return readAuthority;
        }

        public void setReadAuthority(String readAuthority) {
            this.readAuthority = readAuthority;
        }

        public String getWriteAuthority() {
            return writeAuthority;
        }

        public void setWriteAuthority(String writeAuthority) {
            this.writeAuthority = writeAuthority;
        }

        public WebSecurity getSecurity() {
            return security;
        }

        public void setSecurity(WebSecurity security) {
            this.security = security;
        }

        public boolean isCallbackSecurity() {
            return callbackSecurity;
        }

        public void setCallbackSecurity(boolean callbackSecurity) {
            this.callbackSecurity = callbackSecurity;
        }
    }

    /** How the REST API is protected. */
    public enum WebSecurity {
        /** Spring Security authenticates; the API checks the read and write authorities. */
        SPRING_SECURITY,
        /** No checks at all (demos only). */
        NONE
    }

    /** JDBC repository settings. */
    public static class Jdbc {
        /**
         * When the library creates its tables: {@code embedded} (only for H2, HSQLDB and Derby), {@code always}
         * (when missing), or {@code never} (the host applies the shipped Flyway migrations).
         */
        private InitializeSchema initializeSchema = InitializeSchema.EMBEDDED;

        /**
         * Query timeout of every statement of the job repository and the tenants table, rounded up to whole seconds;
         * 0 for none (JdbcJobRepository.DEFAULT_STATEMENT_TIMEOUT).
         */
        private Duration statementTimeout = Duration.ofSeconds(30);

        public Duration getStatementTimeout() {
            return statementTimeout;
        }

        public void setStatementTimeout(Duration statementTimeout) {
            this.statementTimeout = statementTimeout;
        }

        public InitializeSchema getInitializeSchema() {
            return initializeSchema;
        }

        public void setInitializeSchema(InitializeSchema initializeSchema) {
            this.initializeSchema = initializeSchema;
        }
    }

    /** When to create the tables. */
    public enum InitializeSchema {
        /** Only for embedded databases (H2, HSQLDB, Derby). */
        EMBEDDED,
        /** Whenever they are missing. */
        ALWAYS,
        /** Never: the host migrates (Flyway scripts under db/migration/tenant-provisioning/&lt;dialect&gt;). */
        NEVER
    }

    /** The host's tenants table. */
    public static class Tenants {
        /** Table of the host's tenants; setting it enables JdbcTenantDirectory (optionally schema.table). */
        private @Nullable String table;

        /** Column holding the tenant id. */
        private String idColumn = JdbcTenantDirectory.DEFAULT_ID_COLUMN;

        /** Column holding the tenant slug (a DNS label). */
        private String slugColumn = JdbcTenantDirectory.DEFAULT_SLUG_COLUMN;

        /** Column holding the tenant status. */
        private String statusColumn = JdbcTenantDirectory.DEFAULT_STATUS_COLUMN;

        public @Nullable String getTable() {
            return table;
        }

        public void setTable(@Nullable String table) {
            this.table = table;
        }

        public String getIdColumn() {
            return idColumn;
        }

        public void setIdColumn(String idColumn) {
            this.idColumn = idColumn;
        }

        public String getSlugColumn() {
            return slugColumn;
        }

        public void setSlugColumn(String slugColumn) {
            this.slugColumn = slugColumn;
        }

        public String getStatusColumn() {
            return statusColumn;
        }

        public void setStatusColumn(String statusColumn) {
            this.statusColumn = statusColumn;
        }
    }
}
