package com.dotmac.provisioning;

import org.jspecify.annotations.Nullable;

/**
 * The root of every exception this library throws. All are unchecked.
 *
 * <p>Messages are written for an operator and never contain secrets (tokens, passwords, key material).
 *
 * <ul>
 *   <li>{@link InvalidRequestException}: the request is malformed (the REST API answers 400);</li>
 *   <li>{@link TenantNotFoundException}, {@link JobNotFoundException}: 404;</li>
 *   <li>{@link ConflictException} and its subclasses: the request clashes with the current state (409);</li>
 *   <li>{@link InvalidCallbackTokenException}: a callback without a valid job token (401);</li>
 *   <li>{@link com.dotmac.provisioning.spi.AutomationException}: a runner failed (transient or permanent);</li>
 *   <li>{@link com.dotmac.provisioning.spi.StaleJobException}: an optimistic version check failed.</li>
 * </ul>
 */
public class ProvisioningException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, for an operator; never a secret
     */
    public ProvisioningException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, for an operator; never a secret
     * @param cause the underlying failure, or null
     */
    public ProvisioningException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
