package com.dotmac.provisioning;

import com.dotmac.provisioning.rules.Strings;

/**
 * The operation is not allowed while the tenant has its current status (e.g. provisioning a tenant that is already
 * {@code provisioned}). See {@link com.dotmac.provisioning.state.OperationPolicy}.
 */
public class OperationNotAllowedException extends ConflictException {
    private static final long serialVersionUID = 1L;

    private final String tenantId;
    private final Operation operation;
    private final String tenantStatus;

    /**
     * @param tenantId the tenant
     * @param operation the refused operation
     * @param tenantStatus the tenant's current status
     */
    public OperationNotAllowedException(String tenantId, Operation operation, String tenantStatus) {
        super(operation.wireName() + " is not allowed for tenant '" + Strings.abbreviate(tenantId, 80)
                + "' while its status is '" + Strings.abbreviate(tenantStatus, 40) + "'");
        this.tenantId = tenantId;
        this.operation = operation;
        this.tenantStatus = tenantStatus;
    }

    /** @return the tenant */
    public String tenantId() {
        return tenantId;
    }

    /** @return the refused operation */
    public Operation operation() {
        return operation;
    }

    /** @return the tenant's status at the time */
    public String tenantStatus() {
        return tenantStatus;
    }
}
