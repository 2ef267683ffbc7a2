package com.dotmac.provisioning;

import java.util.Objects;

/**
 * One rejected field of a request.
 *
 * @param field the field's wire name as the REST API spells it, e.g. {@code deployment_mode},
 *     {@code extra_vars.region} or {@code connection_profile.port}
 * @param message why it was rejected; never echoes a secret
 */
public record FieldError(String field, String message) {
    /** Checks that both parts are present. */
    public FieldError {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
