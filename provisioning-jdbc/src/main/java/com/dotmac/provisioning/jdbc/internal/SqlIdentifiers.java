package com.dotmac.provisioning.jdbc.internal;

import java.util.regex.Pattern;

/**
 * Validates the table and column names a host configures, so that configuration can never smuggle SQL into a
 * statement: a name is a plain identifier (a letter or underscore, then letters, digits or underscores, at most 63
 * characters), and a table may be qualified by one schema ({@code schema.table}). Names are used unquoted, so the
 * database folds their case as it does for the host's own SQL.
 */
public final class SqlIdentifiers {
    private static final String PART = "[A-Za-z_][A-Za-z0-9_]{0,62}";
    private static final Pattern COLUMN = Pattern.compile(PART);
    private static final Pattern TABLE = Pattern.compile(PART + "(\\." + PART + ")?");

    private SqlIdentifiers() {
    }

    /**
     * @param what the setting, for the message (e.g. {@code "table"})
     * @param name the configured name
     * @return the name
     * @throws IllegalArgumentException naming the setting when the name is not a plain (optionally schema-qualified)
     *     identifier
     */
    public static String table(String what, String name) {
        if (name == null || !TABLE.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " must be a plain SQL identifier, optionally qualified by a "
                    + "schema (letters, digits and underscores, not starting with a digit, at most 63 characters "
                    + "per part, e.g. tenants or platform.tenants); got " + shown(name));
        }
        return name;
    }

    /**
     * @param what the setting, for the message (e.g. {@code "statusColumn"})
     * @param name the configured name
     * @return the name
     * @throws IllegalArgumentException naming the setting when the name is not a plain identifier
     */
    public static String column(String what, String name) {
        if (name == null || !COLUMN.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " must be a plain SQL identifier (letters, digits and "
                    + "underscores, not starting with a digit, at most 63 characters); got " + shown(name));
        }
        return name;
    }

    private static String shown(String name) {
        if (name == null) {
            return "null";
        }
        String cut = name.length() > 80 ? name.substring(0, 80) + "..." : name;
        return "'" + cut.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
