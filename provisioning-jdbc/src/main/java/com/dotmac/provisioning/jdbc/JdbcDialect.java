package com.dotmac.provisioning.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The databases {@link JdbcJobRepository} supports, each with its schema under {@link #migrationLocation()}.
 *
 * <ul>
 *   <li>{@link #POSTGRESQL}: PostgreSQL 12+; claims with {@code FOR UPDATE SKIP LOCKED} in one
 *       {@code UPDATE ... RETURNING}; {@code jsonb}; {@code timestamptz};</li>
 *   <li>{@link #H2}: H2 2.x (regular or PostgreSQL mode); claims with version-checked updates; JSON as text;
 *       {@code TIMESTAMP WITH TIME ZONE};</li>
 *   <li>{@link #MYSQL}: MySQL 8.0.16+ and MariaDB 10.6+ (InnoDB); claims with {@code FOR UPDATE SKIP LOCKED} in one
 *       short transaction; {@code JSON}; {@code DATETIME(6)} holding UTC.</li>
 * </ul>
 */
public enum JdbcDialect {
    /** PostgreSQL 12 or newer. */
    POSTGRESQL("postgresql"),
    /** H2 2.x. */
    H2("h2"),
    /** MySQL 8.0.16+ or MariaDB 10.6+. */
    MYSQL("mysql");

    /** The classpath folder holding one migration folder per dialect. */
    public static final String MIGRATION_ROOT = "db/migration/tenant-provisioning";

    /** A MySQL driver reports a MariaDB server as e.g. {@code 5.5.5-10.11.6-MariaDB}. */
    private static final Pattern MARIADB_VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.\\d+-MariaDB",
            Pattern.CASE_INSENSITIVE);

    private final String folder;

    JdbcDialect(String folder) {
        this.folder = folder;
    }

    /**
     * @return the classpath folder of this dialect's Flyway-compatible migrations, e.g.
     *     {@code db/migration/tenant-provisioning/postgresql} (holding {@code V1__tenant_provisioning.sql},
     *     {@code V2__runs_in_flight_guard.sql}, ...: {@link JdbcSchemaInitializer#MIGRATIONS})
     */
    public String migrationLocation() {
        return MIGRATION_ROOT + "/" + folder;
    }

    /** @return {@link #migrationLocation()} as a Flyway location, e.g. {@code classpath:db/migration/...} */
    public String flywayLocation() {
        return "classpath:" + migrationLocation();
    }

    /**
     * Detects the dialect of a data source; opens (and closes) one connection.
     *
     * @param dataSource the database
     * @return its dialect
     * @throws DatabaseAccessException when no connection can be had
     * @throws IllegalArgumentException when the database is none of the supported ones, or too old
     */
    public static JdbcDialect detect(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return detect(c.getMetaData());
        } catch (SQLException e) {
            throw new DatabaseAccessException("connect to detect the database dialect", e);
        }
    }

    /**
     * @param metaData a connection's metadata
     * @return the dialect of its database
     * @throws SQLException when the metadata cannot be read
     * @throws IllegalArgumentException when the database is none of the supported ones, or too old to skip locked
     *     rows (MySQL before 8.0.1, MariaDB before 10.6), or a MariaDB 10.x server reached with MySQL Connector/J
     *     (which drops fractional seconds there)
     */
    public static JdbcDialect detect(DatabaseMetaData metaData) throws SQLException {
        String productVersion = metaData.getDatabaseProductVersion();
        JdbcDialect dialect = fromProduct(metaData.getDatabaseProductName(), productVersion,
                metaData.getDatabaseMajorVersion(), metaData.getDatabaseMinorVersion());
        String driver = String.valueOf(metaData.getDriverName());
        if (dialect == MYSQL && productVersion.startsWith("5.5.5-") && driver.contains("MySQL")) {
            // MariaDB before 11 announces itself as 5.5.5-...; MySQL Connector/J then drops fractional seconds
            throw new IllegalArgumentException("MariaDB " + productVersion + " must be reached with the MariaDB "
                    + "JDBC driver (org.mariadb.jdbc:mariadb-java-client, jdbc:mariadb:// URLs): " + driver
                    + " takes it for MySQL 5.5 and drops the fractional seconds of times");
        }
        return dialect;
    }

    /**
     * @param productName the JDBC product name ({@code PostgreSQL}, {@code H2}, {@code MySQL}, {@code MariaDB})
     * @param productVersion the product version text (MariaDB servers reached by a MySQL driver say so here)
     * @param major the major version
     * @param minor the minor version
     * @return the dialect
     * @throws IllegalArgumentException when the product is not supported or too old
     */
    static JdbcDialect fromProduct(String productName, String productVersion, int major, int minor) {
        String name = productName.toLowerCase(Locale.ROOT);
        boolean mariaDb = name.contains("mariadb") || productVersion.toLowerCase(Locale.ROOT).contains("mariadb");
        if (name.contains("postgresql")) {
            return POSTGRESQL;
        }
        if (name.equals("h2")) {
            return H2;
        }
        if (mariaDb || name.contains("mysql")) {
            int[] mariaDbVersion = mariaDbVersion(productVersion, major, minor);
            boolean oldMariaDb = mariaDb
                    && (mariaDbVersion[0] < 10 || (mariaDbVersion[0] == 10 && mariaDbVersion[1] < 6));
            boolean oldMySql = !mariaDb && major < 8;
            if (oldMariaDb || oldMySql) {
                throw new IllegalArgumentException("provisioning-jdbc needs MySQL 8.0.16+ or MariaDB 10.6+ (for "
                        + "FOR UPDATE SKIP LOCKED); found " + productName + " " + productVersion);
            }
            return MYSQL;
        }
        throw new IllegalArgumentException("provisioning-jdbc supports PostgreSQL, H2 and MySQL/MariaDB; found "
                + productName + " " + productVersion);
    }

    private static int[] mariaDbVersion(String productVersion, int major, int minor) {
        Matcher m = MARIADB_VERSION.matcher(productVersion);
        if (m.find()) {
            return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
        }
        return new int[] {major, minor};
    }
}
