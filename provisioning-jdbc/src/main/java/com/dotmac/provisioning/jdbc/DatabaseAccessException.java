package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.ProvisioningException;
import java.sql.SQLException;

/**
 * A database call of this module failed (connection refused, statement rejected, ...). The message names what was
 * being done and the SQLState; the driver's exception is the cause. Messages never contain statement parameters.
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
