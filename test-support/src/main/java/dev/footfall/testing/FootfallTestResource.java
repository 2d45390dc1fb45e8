package dev.footfall.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

/**
 * Points one test run at the local PostgreSQL and Redis without sharing anything with other runs: a fresh database
 * (dropped at the end), a Redis key prefix of its own, and a JWT key pair generated for this run only.
 */
public class FootfallTestResource implements QuarkusTestResourceLifecycleManager {

    static final String ISSUER = "https://footfall.dev/issuer";
    static final String AUDIENCE = "footfall";
    private static volatile KeyPair keys;

    private String database;
    private String host;
    private String port;

    @Override
    public Map<String, String> start() {
        host = env("FOOTFALL_DB_HOST", "127.0.0.1");
        port = env("FOOTFALL_DB_PORT", "5432");
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        database = "footfall_test_" + run;
        admin("CREATE DATABASE " + database);
        Path publicKey = writePublicKey(run);
        String redisHost = env("FOOTFALL_REDIS_HOST", "127.0.0.1");
        String redisPort = env("FOOTFALL_REDIS_PORT", "6379");
        return Map.of(
                "quarkus.datasource.reactive.url", "postgresql://" + host + ":" + port + "/" + database,
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + host + ":" + port + "/" + database,
                "quarkus.redis.hosts", "redis://" + redisHost + ":" + redisPort,
                "footfall.redis.key-prefix", "test:" + run + ":",
                "mp.jwt.verify.publickey.location", publicKey.toUri().toString(),
                "mp.jwt.verify.issuer", ISSUER,
                "mp.jwt.verify.audiences", AUDIENCE);
    }

    @Override
    public void stop() {
        if (database != null) {
            admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
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

    private void admin(String sql) {
        String url = "jdbc:postgresql://" + host + ":" + port + "/postgres";
        try (Connection c = DriverManager.getConnection(url, env("FOOTFALL_DB_USER", "postgres"),
                env("FOOTFALL_DB_PASSWORD", "")); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + host + ":" + port + " is needed for the tests: " + sql, e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
