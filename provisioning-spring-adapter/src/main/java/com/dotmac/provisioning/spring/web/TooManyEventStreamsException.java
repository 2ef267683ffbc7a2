package com.dotmac.provisioning.spring.web;

import com.dotmac.provisioning.ProvisioningException;

/** This node has as many event streams open as {@code provisioning.web.event-stream.max-connections} allows (503). */
public class TooManyEventStreamsException extends ProvisioningException {
    private static final long serialVersionUID = 1L;

    /** @param limit the limit reached */
    public TooManyEventStreamsException(int limit) {
        super("this node serves at most " + limit + " event streams at once; try again later");
    }
}
