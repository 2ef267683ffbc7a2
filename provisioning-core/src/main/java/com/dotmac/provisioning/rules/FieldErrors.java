package com.dotmac.provisioning.rules;

import com.dotmac.provisioning.FieldError;
import com.dotmac.provisioning.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;

/** Collects the field errors of one validation pass, then throws them together. Not thread-safe. */
public final class FieldErrors {
    private final List<FieldError> errors = new ArrayList<>();

    /**
     * @param field the field's wire name
     * @param message why it is rejected
     * @return this
     */
    public FieldErrors add(String field, String message) {
        errors.add(new FieldError(field, message));
        return this;
    }

    /** @return whether nothing was rejected */
    public boolean isEmpty() {
        return errors.isEmpty();
    }

    /** @return the errors so far */
    public List<FieldError> list() {
        return List.copyOf(errors);
    }

    /**
     * @throws InvalidRequestException with every collected error, when there is at least one
     */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }
}
