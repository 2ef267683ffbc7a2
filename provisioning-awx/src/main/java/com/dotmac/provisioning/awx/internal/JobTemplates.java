package com.dotmac.provisioning.awx.internal;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.awx.AwxConfig;
import com.dotmac.provisioning.awx.AwxErrorCodes;
import com.dotmac.provisioning.spi.AutomationException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Which AWX job template runs a job, and which templates the configuration uses. Immutable, thread-safe. */
public final class JobTemplates {
    private final AwxConfig config;

    /** @param config the runner's configuration */
    public JobTemplates(AwxConfig config) {
        this.config = config;
    }

    /**
     * @param job a job
     * @return its template: the job's own override, else the configured one for its operation (and mode)
     * @throws AutomationException permanent {@link AwxErrorCodes#NO_TEMPLATE} when none is configured
     */
    public long forJob(ProvisioningJob job) {
        Long override = job.templateId();
        if (override != null) {
            return override;
        }
        Long configured = config.jobTemplateFor(job.operation(), job.deploymentMode());
        if (configured == null) {
            throw AutomationException.permanent(AwxErrorCodes.NO_TEMPLATE, "no AWX job template is configured for "
                    + job.operation().wireName() + " (" + job.deploymentMode().wireName() + "): configure the job"
                    + " template for " + job.operation().wireName() + ", or name one in the request"
                    + " (awx_template_id)");
        }
        return configured;
    }

    /**
     * @param customerHostedEnabled whether customer-hosted jobs can run (an organization is configured)
     * @return every configured template with what it is used for, e.g. {@code 14 → provision}, in id order
     */
    public Map<Long, TemplateUse> configured(boolean customerHostedEnabled) {
        Map<Long, Map<Operation, Set<DeploymentMode>>> uses = new TreeMap<>();
        for (Operation operation : Operation.values()) {
            for (DeploymentMode mode : DeploymentMode.values()) {
                if (mode == DeploymentMode.CUSTOMER_HOSTED && !customerHostedEnabled) {
                    continue;
                }
                Long id = config.jobTemplateFor(operation, mode);
                if (id != null) {
                    uses.computeIfAbsent(id, k -> new LinkedHashMap<>())
                            .computeIfAbsent(operation, k -> EnumSet.noneOf(DeploymentMode.class)).add(mode);
                }
            }
        }
        int modes = customerHostedEnabled ? DeploymentMode.values().length : 1;
        Map<Long, TemplateUse> result = new LinkedHashMap<>();
        uses.forEach((id, byOperation) -> result.put(id, new TemplateUse(byOperation, modes)));
        return result;
    }

    /**
     * What one template is used for.
     *
     * @param modesByOperation the operations it runs, and in which modes
     * @param enabledModes how many deployment modes can run (1 without customer_hosted)
     */
    public record TemplateUse(Map<Operation, Set<DeploymentMode>> modesByOperation, int enabledModes) {
        /** @return whether it runs dotmac_hosted jobs */
        public boolean dotmacHosted() {
            return modesByOperation.values().stream().anyMatch(m -> m.contains(DeploymentMode.DOTMAC_HOSTED));
        }

        /** @return whether it runs customer_hosted jobs */
        public boolean customerHosted() {
            return modesByOperation.values().stream().anyMatch(m -> m.contains(DeploymentMode.CUSTOMER_HOSTED));
        }

        /** @return e.g. {@code provision, upgrade (customer_hosted)} */
        public String label() {
            List<String> parts = new ArrayList<>();
            modesByOperation.forEach((operation, modes) -> parts.add(modes.size() == enabledModes
                    ? operation.wireName()
                    : operation.wireName() + " (" + String.join(", ", modes.stream().map(DeploymentMode::wireName)
                            .toList()) + ")"));
            return String.join(", ", parts);
        }
    }
}
