package com.dotmac.provisioning.reliability.support;

import com.dotmac.provisioning.jdbc.support.EmbeddedPostgresDatabases;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * An embedded PostgreSQL server of one test (not the shared one of {@link Postgres}) that can be stopped and started
 * again on the same data directory and port: a database restart as the engines see it (connections refused while it
 * is down, the same URL and data once it is back). Closing it stops the server and deletes its data directory.
 * Thread-safe (start and stop are synchronized).
 */
public final class RestartablePostgres implements AutoCloseable {
    private final Path dataDirectory;
    private final int port;
    private @Nullable EmbeddedPostgres server;

    private RestartablePostgres(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    /**
     * Starts a server on a fresh data directory and a free port.
     *
     * @return the running server
     * @throws IOException when it cannot start
     */
    public static RestartablePostgres start() throws IOException {
        RestartablePostgres pg = new RestartablePostgres(Files.createTempDirectory("restartable-postgres-"),
                freePort());
        pg.startAgain();
        return pg;
    }

    /** Stops the server ("fast" shutdown: open sessions are ended); the data stays. */
    public synchronized void stop() {
        EmbeddedPostgres running = server;
        if (running == null) {
            return;
        }
        server = null;
        try {
            running.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop the embedded PostgreSQL", e);
        }
    }

    /** Starts the server again on the same data directory and port (waits until it accepts connections). */
    public synchronized void startAgain() {
        if (server != null) {
            return;
        }
        try {
            server = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
    }

    /** @return the server's superuser URL (database {@code postgres}); the same across restarts */
    public String url() {
        return "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres";
    }

    /**
     * @param purpose a short name, part of the schema's name
     * @return a fresh, empty schema on this server, the default schema of every connection made with its URL
     */
    public Schema newSchema(String purpose) {
        String name = EmbeddedPostgresDatabases.uniqueName(purpose);
        execute("CREATE SCHEMA " + name);
        return new Schema(name, url() + "&currentSchema=" + name, () -> execute("DROP SCHEMA IF EXISTS " + name
                + " CASCADE"));
    }

    private void execute(String sql) {
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("could not run " + sql, e);
        }
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dataDirectory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: left to the system
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
