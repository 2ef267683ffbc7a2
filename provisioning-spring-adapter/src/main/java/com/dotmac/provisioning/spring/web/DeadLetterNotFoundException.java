package com.dotmac.provisioning.spring.web;

import com.dotmac.provisioning.ProvisioningException;
import com.dotmac.provisioning.rules.Strings;

/** No webhook dead letter has the id a REST call named (REST: 404): unknown, already redelivered, or delivered. */
public class DeadLetterNotFoundException extends ProvisioningException {
    private static final long serialVersionUID = 1L;

    /** @param deliveryId the id named */
    public DeadLetterNotFoundException(String deliveryId) {
        super("no webhook dead letter " + Strings.abbreviate(deliveryId, 64));
    }
}
