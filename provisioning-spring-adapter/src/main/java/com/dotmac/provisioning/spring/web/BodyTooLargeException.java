package com.dotmac.provisioning.spring.web;

/** A request body exceeds {@link ApiJsonConverter#MAX_BODY_BYTES}; answered with 413. */
public final class BodyTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A body over the limit. */
    public BodyTooLargeException() {
        super("the request body is larger than " + ApiJsonConverter.MAX_BODY_BYTES / 1024 + " KiB");
    }
}
