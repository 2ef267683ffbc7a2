package com.dotmac.provisioning.spring.web;

import com.dotmac.provisioning.ProvisioningException;

/** A caller may not use an endpoint: not authenticated (401) or lacking the authority (403). */
public class ApiAccessException extends ProvisioningException {
    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * @param status 401 or 403
     * @param message what is missing (never a secret)
     */
    public ApiAccessException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** @return 401 or 403 */
    public int status() {
        return status;
    }
}
