package com.dotmac.provisioning;

import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The extra vars every playbook receives (docs/SECURITY.md and ansible/variables.yml, contract). A request's own
 * {@code extra_vars} may not use these names, nor {@link #RESERVED_PREFIXES}, {@link #CONTENT_PREFIXES} or
 * {@link #ANSIBLE_MAGIC_NAMES}.
 */
public final class PlaybookVariables {
    /** The tenant's id. */
    public static final String TENANT_ID = "tenant_id";
    /** The tenant's slug, a DNS label. */
    public static final String TENANT_SLUG = "tenant_slug";
    /** {@code dotmac_hosted} or {@code customer_hosted}. */
    public static final String DEPLOYMENT_MODE = "deployment_mode";
    /** {@code provision}, {@code upgrade} or {@code decommission}. */
    public static final String OPERATION = "operation";
    /** Our job id: the correlation id that finds a run again after a crash. */
    public static final String PROVISIONING_JOB_ID = "provisioning_job_id";
    /** The customer-hosted connection profile (no secrets). */
    public static final String CONNECTION_PROFILE = "connection_profile";
    /** The release to install (upgrade). */
    public static final String RELEASE_VERSION = "release_version";
    /** Where the post-provision role reports back, when callbacks are configured. */
    public static final String PLATFORM_CALLBACK_URL = "platform_callback_url";
    /** The job's callback token (a secret: never logged or stored). */
    public static final String PLATFORM_CALLBACK_TOKEN = "platform_callback_token";

    /**
     * The W3C {@code traceparent} of the request's trace, when the provisioner has a
     * {@link com.dotmac.provisioning.spi.JobTracer} and the request was traced (a well-formed value only, see
     * {@link com.dotmac.provisioning.rules.TraceparentRules}); absent otherwise.
     */
    public static final String TRACEPARENT = "traceparent";

    /** Every name above. */
    public static final Set<String> RESERVED = Set.of(TENANT_ID, TENANT_SLUG, DEPLOYMENT_MODE, OPERATION,
            PROVISIONING_JOB_ID, CONNECTION_PROFILE, RELEASE_VERSION, PLATFORM_CALLBACK_URL, PLATFORM_CALLBACK_TOKEN,
            TRACEPARENT);

    /** Prefixes of names that Ansible, AWX or the controller set themselves ({@code ansible_connection}, ...). */
    public static final List<String> RESERVED_PREFIXES = List.of("ansible_", "awx_", "tower_");

    /**
     * Prefixes of the Ansible content's own names: every setting, command, path and security switch of the roles, and
     * every fact and result they record, starts with {@code tenant_} (the content publishes them in
     * {@code ansible/variables.yml}); {@code platform_} is the platform's (callback URL and token). A request's extra
     * var could override any of them, since extra vars take precedence over inventory, role and play variables.
     */
    public static final List<String> CONTENT_PREFIXES = List.of("tenant_", "platform_");

    /** Ansible's magic variables, which a request may not shadow. */
    public static final Set<String> ANSIBLE_MAGIC_NAMES = Set.of("hostvars", "groups", "group_names",
            "inventory_hostname", "inventory_hostname_short", "inventory_dir", "inventory_file", "playbook_dir",
            "play_hosts", "role_name", "role_names", "role_path", "omit", "environment", "vars", "lookup",
            "query", "q", "item");

    private PlaybookVariables() {
    }

    /**
     * @param name an extra-var name
     * @return whether a request's own extra vars may not use it
     */
    public static boolean isReserved(String name) {
        return whyReserved(name) != null;
    }

    /**
     * @param name the name of an operator's setting (a runner's fixed or default extra var)
     * @return why an operator's setting may not use it either (the contract names, Ansible's), or null
     */
    public static @Nullable String whyReservedForSettings(String name) {
        if (RESERVED.contains(name)) {
            return "the library passes it to every run (" + String.join(", ", RESERVED.stream().sorted().toList())
                    + ")";
        }
        if (ANSIBLE_MAGIC_NAMES.contains(name) || RESERVED_PREFIXES.stream().anyMatch(name::startsWith)) {
            return "Ansible, AWX or the controller set it (names starting with "
                    + String.join(", ", RESERVED_PREFIXES) + " and Ansible's magic variables)";
        }
        return null;
    }

    /**
     * @param name an extra-var name
     * @return why a request may not use it (and a host may not declare it), or null when it is free
     */
    public static @Nullable String whyReserved(String name) {
        String setting = whyReservedForSettings(name);
        if (setting != null) {
            return setting;
        }
        if (CONTENT_PREFIXES.stream().anyMatch(name::startsWith)) {
            return "names starting with " + String.join(" or ", CONTENT_PREFIXES) + " belong to the Ansible content:"
                    + " its settings, commands, paths and security switches (ansible/variables.yml), which only the"
                    + " inventory, the job template or the runner's fixed extra vars may set";
        }
        return null;
    }
}
