package com.dotmac.provisioning;

/** A callback did not carry the job's token (REST: 401). The message never says what the right token is. */
public class InvalidCallbackTokenException extends ProvisioningException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a fixed message. */
    public InvalidCallbackTokenException() {
        super("the callback token is missing or not valid for this job");
    }
}
