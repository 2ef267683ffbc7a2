package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.ProvisioningException;
import java.sql.SQLException;

/**
 * A database call of this module failed (statement rejected, constraint, ...). The message names what was being done
 * and the SQLState; the driver's exception is the cause. Messages never contain statement parameters. A database
 * that cannot be reached (no connection, connection lost, server shutting down) is reported as a
 * {@link com.dotmac.provisioning.spi.RepositoryUnavailableException} instead, so that the engine backs off and
 * requests fail fast; both are {@link ProvisioningException}s.
 */
public class DatabaseAccessException extends ProvisioningException {
    private static final long serialVersionUID = 1L;

    /** The driver's SQLState, or empty. */
    private final String sqlState;

    /**
     * @param action what was being done, e.g. {@code "claim due jobs"}
     * @param cause the driver's exception
     */
    public DatabaseAccessException(String action, SQLException cause) {
        super("could not " + action + " (SQLState " + cause.getSQLState() + ", error " + cause.getErrorCode() + ")",
                cause);
        this.sqlState = String.valueOf(cause.getSQLState());
    }

    /**
     * @param message what went wrong
     */
    public DatabaseAccessException(String message) {
        super(message);
        this.sqlState = "";
    }

    /** @return the driver's SQLState ({@code "null"} when it gave none), or empty when there was no SQL error */
    public String sqlState() {
        return sqlState;
    }
}
