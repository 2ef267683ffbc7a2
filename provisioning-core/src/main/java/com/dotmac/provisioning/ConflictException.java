package com.dotmac.provisioning;

/** The request is well formed but clashes with the current state of a tenant or job (REST: 409). */
public abstract class ConflictException extends ProvisioningException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what clashes, for an operator
     */
    protected ConflictException(String message) {
        super(message);
    }
}
