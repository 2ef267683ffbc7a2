package com.dotmac.provisioning.jdbc.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A throw-away MariaDB server started from the binaries installed on this machine ({@code mariadbd} and
 * {@code mariadb-install-db}, e.g. Debian's {@code mariadb-server} package), the way the embedded PostgreSQL runs:
 * one server per test JVM, started on first use with a data directory of its own under {@code target/}, listening
 * on a free port of 127.0.0.1 (and a socket in its data directory), stopped and deleted when the JVM exits. Tests
 * reach it as a user with a password that may create databases; {@link #createDatabase} gives each test class or
 * test a fresh one.
 *
 * <p>The server binary is looked up on the {@code PATH} and in the usual {@code sbin} folders; the environment
 * variable (or system property {@code provisioning.test.mariadbd}) {@value #MARIADBD_VARIABLE} names it instead
 * ({@code mariadb-install-db} is then looked up next to it, in its {@code ../bin}, and on the {@code PATH}).
 *
 * <p>Thread-safe: the server starts once, under the class initialization lock.
 */
public final class LocalMariaDb {
    /** Environment variable (or system property {@code provisioning.test.mariadbd}) naming the server binary. */
    public static final String MARIADBD_VARIABLE = "PROVISIONING_TEST_MARIADBD";

    private static final String USER = "provisioning_test";
    private static final List<String> SBIN = List.of("/usr/sbin", "/usr/local/sbin", "/usr/local/mysql/bin",
            "/usr/local/bin", "/usr/bin", "/opt/homebrew/bin", "/opt/homebrew/sbin");
    private static final long START_MILLIS = 120_000;

    private final Process process;
    private final Path home;
    private final int port;
    private final String password;

    private LocalMariaDb(Process process, Path home, int port, String password) {
        this.process = process;
        this.home = home;
        this.port = port;
        this.password = password;
    }

    private static final class Holder {
        static final LocalMariaDb SERVER = start();
    }

    /** @return whether the binaries are installed (the server is then started by {@link #server()}) */
    public static boolean installed() {
        return binaries().isPresent();
    }

    /**
     * @return the one server of this JVM, started on the first call
     * @throws IllegalStateException when the binaries are missing or the server does not start (with its log)
     */
    public static LocalMariaDb server() {
        return Holder.SERVER;
    }

    /** @return the server's version text, e.g. {@code 10.11.6-MariaDB-0+deb12u1} */
    public String version() {
        try (Connection c = rootConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT VERSION()")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("could not ask MariaDB for its version", e);
        }
    }

    /** @return the user the tests connect as */
    public String user() {
        return USER;
    }

    /** @return its password (random, made for this server) */
    public String password() {
        return password;
    }

    /**
     * Creates an empty database ({@code utf8mb4}, {@code utf8mb4_bin}).
     *
     * @param name the database's name (letters, digits, underscores), e.g. from
     *     {@link EmbeddedPostgresDatabases#uniqueName}
     * @return a JDBC URL (MariaDB driver) of it, for {@link #user()}
     */
    public String createDatabase(String name) {
        onServer("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + name;
    }

    /** @param name a database made by {@link #createDatabase}; dropped with everything in it, if it exists */
    public void dropDatabase(String name) {
        onServer("DROP DATABASE IF EXISTS " + name);
    }

    private void onServer(String sql) {
        try (Connection c = rootConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("could not run " + sql + " on the local MariaDB", e);
        }
    }

    private Connection rootConnection() throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/", "root", "");
    }

    // ---- starting and stopping --------------------------------------------------------------------------------------

    private record Binaries(Path server, Path installDb) {
    }

    private static Optional<Binaries> binaries() {
        String named = setting();
        Optional<Path> server = named != null ? Optional.of(Path.of(named)).filter(Files::isExecutable)
                : find("mariadbd", SBIN);
        return server.flatMap(s -> {
            List<String> near = new ArrayList<>();
            Path dir = s.toAbsolutePath().getParent();
            if (dir != null) {
                near.add(dir.toString());
                Path parent = dir.getParent();
                if (parent != null) {
                    near.add(parent.resolve("bin").toString());
                }
            }
            near.addAll(SBIN);
            return find("mariadb-install-db", near).map(i -> new Binaries(s, i));
        });
    }

    private static @Nullable String setting() {
        String v = System.getProperty("provisioning.test.mariadbd");
        if (v == null || v.isBlank()) {
            v = System.getenv(MARIADBD_VARIABLE);
        }
        return v == null || v.isBlank() ? null : v;
    }

    private static Optional<Path> find(String name, List<String> extraFolders) {
        List<String> folders = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            folders.addAll(List.of(path.split(java.io.File.pathSeparator)));
        }
        folders.addAll(extraFolders);
        return folders.stream().filter(f -> !f.isBlank()).map(f -> Path.of(f, name)).filter(Files::isExecutable)
                .findFirst();
    }

    private static LocalMariaDb start() {
        Binaries bin = binaries().orElseThrow(() -> new IllegalStateException("no mariadbd and mariadb-install-db "
                + "found (PATH, /usr/sbin, ...; or " + MARIADBD_VARIABLE + ")"));
        Path home = Path.of("target", "mariadb-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
        try {
            Files.createDirectories(home);
            Path data = home.resolve("data");
            run(List.of(bin.installDb().toString(), "--no-defaults", "--auth-root-authentication-method=normal",
                    "--skip-test-db", "--datadir=" + data), home.resolve("install.log"));
            for (int attempt = 1; ; attempt++) {
                try {
                    LocalMariaDb db = launch(bin.server(), home, data, freePort());
                    Runtime.getRuntime().addShutdownHook(new Thread(db::stop, "local-mariadb-stop"));
                    return db;
                } catch (IllegalStateException e) {
                    if (attempt == 3) {
                        throw e;
                    }
                    // the port may have been taken between choosing and binding it; try another
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare a MariaDB data directory in " + home, e);
        }
    }

    private static LocalMariaDb launch(Path server, Path home, Path data, int port) throws IOException {
        Path socket = home.resolve("mysqld.sock");
        if (socket.toString().length() > 100) {
            // a Unix socket's path is limited to ~107 bytes; TCP is what the tests use
            socket = Files.createTempDirectory("mariadb").resolve("mysqld.sock");
        }
        Path log = home.resolve("error.log");
        List<String> command = new ArrayList<>(List.of(server.toString(), "--no-defaults", "--datadir=" + data,
                "--socket=" + socket, "--port=" + port, "--bind-address=127.0.0.1", "--skip-name-resolve",
                "--pid-file=" + home.resolve("mariadbd.pid"), "--log-error=" + log, "--max-connections=500",
                "--innodb-flush-log-at-trx-commit=0", "--innodb-doublewrite=0", "--innodb-buffer-pool-size=128M",
                "--character-set-server=utf8mb4", "--collation-server=utf8mb4_bin"));
        if ("root".equals(System.getProperty("user.name"))) {
            command.add("--user=root"); // mariadbd refuses to run as root unless told to
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(home.resolve("mariadbd.out").toFile()).start();
        String password = UUID.randomUUID().toString().replace("-", "");
        LocalMariaDb db = new LocalMariaDb(process, home, port, password);
        long deadline = System.currentTimeMillis() + START_MILLIS;
        SQLException refused = null;
        while (process.isAlive() && System.currentTimeMillis() < deadline) {
            try (Connection c = db.rootConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE USER '" + USER + "'@'127.0.0.1' IDENTIFIED BY '" + password + "'");
                st.execute("GRANT ALL PRIVILEGES ON *.* TO '" + USER + "'@'127.0.0.1'");
                return db;
            } catch (SQLException e) {
                refused = e;
                sleep();
            }
        }
        db.stop();
        throw new IllegalStateException("MariaDB (" + server + ") did not start on port " + port + ": "
                + tail(log) + (refused == null ? "" : " (last: " + refused.getMessage() + ")"), refused);
    }

    private static void run(List<String> command, Path log) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(START_MILLIS, TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: " + tail(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    /** Stops the server (a clean shutdown, forced after 30 s) and deletes its data directory. */
    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // the JVM is exiting; target/ is cleaned by the next mvn clean
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while MariaDB was starting", e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "LocalMariaDb[127.0.0.1:%d, %s]", port, home);
    }
}
