package com.dotmac.provisioning;

import com.dotmac.provisioning.rules.Strings;

/** The tenant already has a queued or in-progress job; a tenant has at most one active job. */
public class ActiveJobConflictException extends ConflictException {
    private static final long serialVersionUID = 1L;

    private final String tenantId;
    private final String activeJobId;

    /**
     * @param tenantId the tenant
     * @param activeJobId its active job
     */
    public ActiveJobConflictException(String tenantId, String activeJobId) {
        super("tenant '" + Strings.abbreviate(tenantId, 80) + "' already has an active provisioning job: " + activeJobId);
        this.tenantId = tenantId;
        this.activeJobId = activeJobId;
    }

    /** @return the tenant */
    public String tenantId() {
        return tenantId;
    }

    /** @return the id of the tenant's active job */
    public String activeJobId() {
        return activeJobId;
    }
}
