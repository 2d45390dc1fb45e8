package dev.footfall.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.flywaydb.core.Flyway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Points one test run at the local PostgreSQL and Redis without sharing anything with other runs: a fresh database
 * and a role per service (dropped at the end), a Redis key prefix of its own, and a JWT key pair generated for this
 * run only. The application connects as its service's role; {@link TestDatabase} connects tests as any of them, or as
 * the admin for fixtures.
 */
public class FootfallTestResource implements QuarkusTestResourceLifecycleManager {

    static final String ISSUER = "https://footfall.dev/issuer";
    static final String AUDIENCE = "footfall";
    private static volatile KeyPair keys;

    /** The four services; each owns the schema of its name and connects as a role of its own. */
    public static final List<String> SERVICES = List.of("ingest", "count", "holiday", "analytics");

    private String service;
    private String database;
    private String host;
    private String port;
    private final Map<String, String> roles = new LinkedHashMap<>();

    /** {@code service}: the module under test (a {@code @ResourceArg}), whose role the application connects as. */
    @Override
    public void init(Map<String, String> initArgs) {
        service = initArgs.get("service");
    }

    @Override
    public Map<String, String> start() {
        if (service == null || !SERVICES.contains(service)) {
            throw new IllegalStateException("FootfallTestResource needs @ResourceArg(name = \"service\") naming one of "
                    + SERVICES + ", got " + service);
        }
        host = env("FOOTFALL_DB_HOST", "127.0.0.1");
        port = env("FOOTFALL_DB_PORT", "5432");
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        database = "footfall_test_" + run;
        Map<String, String> config = new HashMap<>();
        // Roles of this run only, set up as ./footfall sets up the real ones (deploy/db): not superusers, so the
        // row-level security policies bind them, each owning its schema.
        for (String svc : SERVICES) {
            String role = "footfall_t" + run + "_" + svc;
            String password = UUID.randomUUID().toString();
            admin("postgres", "CREATE ROLE " + role + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD '"
                    + password + "'");
            roles.put(svc, role);
            config.put("quarkus.flyway.placeholders." + svc + "_role", role);
            config.put("footfall.test.db." + svc + ".user", role);
            config.put("footfall.test.db." + svc + ".password", password);
        }
        // The migrations read shared_preload_libraries to tell whether TimescaleDB is loaded.
        admin("postgres", "GRANT pg_read_all_settings TO " + String.join(", ", roles.values()));
        admin("postgres", "CREATE DATABASE " + database);
        List<String> setup = new ArrayList<>();
        setup.add("REVOKE ALL ON DATABASE " + database + " FROM PUBLIC");
        setup.add("GRANT CONNECT, TEMPORARY ON DATABASE " + database + " TO " + String.join(", ", roles.values()));
        roles.forEach((svc, role) -> setup.add("CREATE SCHEMA " + svc + " AUTHORIZATION " + role));
        // analytics-service's migration V3 creates the warehouse's stand-in for a production source database as a
        // schema of its own (CREATE SCHEMA needs CREATE on the database even when the schema exists).
        setup.add("GRANT CREATE ON DATABASE " + database + " TO " + roles.get("analytics"));
        admin(database, setup.toArray(String[]::new));

        Path publicKey = writePublicKey(run);
        String redisHost = env("FOOTFALL_REDIS_HOST", "127.0.0.1");
        String redisPort = env("FOOTFALL_REDIS_PORT", "6379");
        config.put("quarkus.datasource.username", roles.get(service));
        config.put("quarkus.datasource.password", config.get("footfall.test.db." + service + ".password"));
        config.put("quarkus.datasource.reactive.url", "postgresql://" + host + ":" + port + "/" + database);
        config.put("quarkus.datasource.jdbc.url", jdbcUrl(database));
        config.put("footfall.test.db.admin.user", env("FOOTFALL_DB_USER", "postgres"));
        config.put("footfall.test.db.admin.password", env("FOOTFALL_DB_PASSWORD", ""));
        config.put("quarkus.redis.hosts", "redis://" + redisHost + ":" + redisPort);
        config.put("footfall.redis.key-prefix", "test:" + run + ":");
        config.put("mp.jwt.verify.publickey.location", publicKey.toUri().toString());
        config.put("mp.jwt.verify.issuer", ISSUER);
        config.put("mp.jwt.verify.audiences", AUDIENCE);
        return config;
    }

    /**
     * Creates another service's schema from its migrations ({@code location}, copied into this module's test
     * resources), as that service's role, the way that service would at its start.
     */
    protected static void migrate(Map<String, String> config, String service, String location,
            Map<String, String> placeholders) {
        Map<String, String> all = new HashMap<>(placeholders);
        for (String svc : SERVICES) {
            all.put(svc + "_role", config.get("footfall.test.db." + svc + ".user"));
        }
        Flyway.configure()
                .dataSource(config.get("quarkus.datasource.jdbc.url"), config.get("footfall.test.db." + service + ".user"),
                        config.get("footfall.test.db." + service + ".password"))
                .schemas(service).defaultSchema(service).table("flyway_schema_history")
                .locations(location).placeholders(all)
                .load().migrate();
    }

    @Override
    public void stop() {
        if (database != null) {
            admin("postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
        try {
            admin("postgres", roles.values().stream().map(role -> "DROP ROLE IF EXISTS " + role).toArray(String[]::new));
        } catch (IllegalStateException e) {
            System.err.println("Could not drop this run's roles: " + e.getCause());
        }
    }

    /** The key pair of this JVM's test runs; tokens are signed with its private half. */
    static KeyPair keys() {
        if (keys == null) {
            synchronized (FootfallTestResource.class) {
                if (keys == null) {
                    try {
                        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                        generator.initialize(2048);
                        keys = generator.generateKeyPair();
                    } catch (NoSuchAlgorithmException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return keys;
    }

    private static Path writePublicKey(String run) {
        try {
            Path file = Files.createTempFile("footfall-jwt-" + run, ".pem");
            file.toFile().deleteOnExit();
            String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys().getPublic().getEncoded());
            Files.writeString(file, "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n");
            return file;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot write the test public key", e);
        }
    }

    private String jdbcUrl(String db) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + db;
    }

    private void admin(String db, String... statements) {
        try (Connection c = DriverManager.getConnection(jdbcUrl(db), env("FOOTFALL_DB_USER", "postgres"),
                env("FOOTFALL_DB_PASSWORD", "")); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + host + ":" + port + " (as an admin who may create roles "
                    + "and databases: FOOTFALL_DB_USER) is needed for the tests: " + String.join("; ", statements), e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
