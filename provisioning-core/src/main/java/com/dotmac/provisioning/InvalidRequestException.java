package com.dotmac.provisioning;

import java.util.List;
import java.util.stream.Collectors;

/** A request was rejected before anything was stored; {@link #fieldErrors()} names each bad field (REST: 400). */
public class InvalidRequestException extends ProvisioningException {
    private static final long serialVersionUID = 1L;

    private final List<FieldError> fieldErrors;

    /**
     * @param fieldErrors the rejected fields; at least one
     */
    public InvalidRequestException(List<FieldError> fieldErrors) {
        super("invalid request: " + fieldErrors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
        if (fieldErrors.isEmpty()) {
            throw new IllegalArgumentException("an invalid request names at least one field");
        }
        this.fieldErrors = List.copyOf(fieldErrors);
    }

    /**
     * @param field the field's wire name
     * @param message why it was rejected
     */
    public InvalidRequestException(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    /** @return the rejected fields, in the order they were found; never empty */
    public List<FieldError> fieldErrors() {
        return fieldErrors;
    }
}
