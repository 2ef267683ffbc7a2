package com.dotmac.provisioning.spi;

import com.dotmac.provisioning.ProvisioningException;
import org.jspecify.annotations.Nullable;

/**
 * The job repository (or another store of the host's, such as a JDBC tenant directory) cannot be reached: no
 * connection could be had, or the one in use was lost (the database is down, restarting, refusing connections, or
 * the pool timed out waiting for one). Unlike other repository failures this one says nothing about the job: the
 * same call is expected to succeed once the store is back. Adapters throw it so that the engine backs off instead of
 * failing job by job, and so that requests fail fast with
 * {@link com.dotmac.provisioning.ProvisioningUnavailableException}.
 *
 * <p>The message names what was being done and never contains a secret or a connection URL.
 */
public class RepositoryUnavailableException extends ProvisioningException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what could not be done, for an operator; never a secret or a connection URL
     * @param cause the driver's or pool's exception, or null
     */
    public RepositoryUnavailableException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
