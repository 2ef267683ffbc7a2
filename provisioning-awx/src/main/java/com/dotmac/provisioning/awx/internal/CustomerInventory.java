package com.dotmac.provisioning.awx.internal;

import com.dotmac.provisioning.ConnectionProfile;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.awx.AwxConfig;
import com.dotmac.provisioning.awx.AwxErrorCodes;
import com.dotmac.provisioning.spi.AutomationException;
import java.util.Optional;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders a customer-hosted tenant's AWX inventory from its connection profile: an inventory {@code tenant-<slug>}
 * in the configured organization, a group {@code tenant_targets}, and one host named after the slug whose variables
 * set {@code ansible_host}, {@code ansible_port}, {@code ansible_user} and, through a bastion,
 * {@code ansible_ssh_common_args: -o ProxyJump=user@host:port} (what the playbooks' {@code hosts.yml.j2} renders).
 *
 * <p>Idempotent: everything is looked up by name first, so a repeated launch attempt reuses what an earlier one
 * made; a creation that loses a race (400 "already exists") looks it up again. Thread-safe.
 */
public final class CustomerInventory {
    private static final Logger log = LoggerFactory.getLogger(CustomerInventory.class);

    private final AwxHttp http;
    private final AwxJson json;
    private final AwxConfig config;

    /**
     * @param http the transport
     * @param json JSON mapping
     * @param config the runner's configuration
     */
    public CustomerInventory(AwxHttp http, AwxJson json, AwxConfig config) {
        this.http = http;
        this.json = json;
        this.config = config;
    }

    /**
     * Creates or updates the tenant's inventory.
     *
     * @param job the customer-hosted job
     * @param profile its connection profile
     * @return the inventory's id
     * @throws AutomationException permanent when no organization is configured or AWX refuses; transient for faults
     */
    public long render(ProvisioningJob job, ConnectionProfile profile) {
        Long organization = config.organizationId();
        if (organization == null) {
            throw AutomationException.permanent(AwxErrorCodes.CONFIGURATION, "customer_hosted jobs need the AWX"
                    + " organization that holds tenants' inventories: configure the AWX organization id");
        }
        String inventoryName = config.inventoryNamePrefix() + job.tenantSlug();
        ObjectNode inventoryBody = json.object()
                .put("name", inventoryName)
                .put("organization", organization)
                .put("description", "Tenant " + job.tenantId() + " (customer-hosted); managed by the provisioning"
                        + " platform, rendered from its connection profile");
        Found inventory = findOrCreate("inventory " + inventoryName,
                http.url("inventories/").addQueryParameter("name", inventoryName)
                        .addQueryParameter("organization", String.valueOf(organization)).build(),
                http.url("inventories/").build(), inventoryBody);
        long inventoryId = inventory.id();

        String group = config.targetGroup();
        Found targets = findOrCreate("group " + group + " of inventory " + inventoryId,
                http.url("inventories/" + inventoryId + "/groups/").addQueryParameter("name", group).build(),
                http.url("inventories/" + inventoryId + "/groups/").build(), json.object().put("name", group));

        String hostName = job.tenantSlug();
        ObjectNode variables = hostVariables(profile);
        String variablesText = json.write(variables);
        Found host = findOrCreate("host " + hostName + " of inventory " + inventoryId,
                http.url("inventories/" + inventoryId + "/hosts/").addQueryParameter("name", hostName).build(),
                http.url("inventories/" + inventoryId + "/hosts/").build(),
                json.object().put("name", hostName).put("enabled", true).put("variables", variablesText)
                        .put("description", "rendered from the connection profile of tenant " + job.tenantId()));
        boolean updated = false;
        if (!host.created() && !sameHost(host.node(), variables)) {
            HttpUrl hostUrl = http.url("hosts/" + host.id() + "/").build();
            String what = "update host " + host.id() + " (" + hostName + ") of inventory " + inventoryId;
            http.expectJson(http.patch(hostUrl,
                    json.object().put("variables", variablesText).put("enabled", true), what), what);
            updated = true;
        }
        ensureMember(targets.id(), host.id(), hostName);
        log.info("job {}: AWX inventory {} ({}) {} for tenant {}; host {} {}", job.id(), inventoryId, inventoryName,
                inventory.created() ? "created" : "reused", job.tenantId(), hostName,
                host.created() ? "created" : updated ? "updated" : "unchanged");
        return inventoryId;
    }

    /**
     * @param profile a connection profile
     * @return the host variables of its target
     */
    public ObjectNode hostVariables(ConnectionProfile profile) {
        ObjectNode variables = json.object()
                .put("ansible_host", profile.host())
                .put("ansible_port", profile.port())
                .put("ansible_user", profile.user());
        ConnectionProfile.Bastion bastion = profile.bastion();
        if (bastion != null) {
            String jumpHost = bastion.host().contains(":") ? "[" + bastion.host() + "]" : bastion.host();
            variables.put("ansible_ssh_common_args",
                    "-o ProxyJump=" + bastion.user() + "@" + jumpHost + ":" + bastion.port());
        }
        return variables;
    }

    private boolean sameHost(JsonNode host, ObjectNode variables) {
        Optional<JsonNode> current = json.parseObjectString(AwxJson.text(host, "variables"));
        JsonNode enabled = host.get("enabled");
        return current.isPresent() && json.toMap(current.get()).equals(json.toMap(variables))
                && (enabled == null || enabled.asBoolean(true));
    }

    private void ensureMember(long groupId, long hostId, String hostName) {
        String what = "check that host " + hostName + " is in group " + groupId;
        JsonNode page = http.expectJson(http.get(http.url("groups/" + groupId + "/hosts/")
                .addQueryParameter("name", hostName).build(), what), what);
        if (first(page, hostName) != null) {
            return;
        }
        String associate = "add host " + hostId + " to group " + groupId;
        AwxResponse response = http.post(http.url("groups/" + groupId + "/hosts/").build(),
                json.object().put("id", hostId), associate, true);
        if (!response.isSuccessful()) {
            throw http.rejected(response, associate);
        }
    }

    private Found findOrCreate(String what, HttpUrl lookup, HttpUrl create, ObjectNode body) {
        JsonNode existing = find(lookup, body.path("name").asString(), what);
        if (existing != null) {
            return new Found(existing, false);
        }
        AwxResponse response = http.post(create, body, "create " + what, false);
        if (response.isSuccessful()) {
            JsonNode created = http.expectJson(response, "create " + what);
            requireId(created, what);
            return new Found(created, true);
        }
        if (response.code() == 400) {
            JsonNode raced = find(lookup, body.path("name").asString(), what);
            if (raced != null) {
                log.debug("{} was created concurrently; using it", what);
                return new Found(raced, false);
            }
        }
        throw http.rejected(response, "create " + what);
    }

    private @Nullable JsonNode find(HttpUrl lookup, String name, String what) {
        return first(http.expectJson(http.get(lookup, "look up " + what), "look up " + what), name);
    }

    private static @Nullable JsonNode first(JsonNode page, String name) {
        JsonNode results = page.path("results");
        for (JsonNode item : results) {
            if (name.equals(AwxJson.text(item, "name")) && AwxJson.id(item, "id") != null) {
                return item;
            }
        }
        return null;
    }

    private static void requireId(JsonNode node, String what) {
        if (AwxJson.id(node, "id") == null) {
            throw AutomationException.transientFailure(AwxErrorCodes.MALFORMED_RESPONSE,
                    "AWX created " + what + " but its answer has no id", null);
        }
    }

    /** An AWX object found or created. */
    private record Found(JsonNode node, boolean created) {
        long id() {
            Long id = AwxJson.id(node, "id");
            return id == null ? 0 : id;
        }
    }
}
