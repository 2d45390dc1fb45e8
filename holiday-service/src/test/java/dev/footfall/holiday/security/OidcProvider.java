package dev.footfall.holiday.security;

import com.sun.net.httpserver.HttpServer;
import dev.footfall.testing.FootfallTestResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * A stand-in for a Keycloak realm: its {@code jwks_uri} served on loopback (the set of keys can be changed while the
 * application runs), its keys, and tokens shaped like its access tokens. As a test resource it is this module's usual
 * environment (fresh database) with the services pointed at this provider: the JWKS URL, the issuer, roles from
 * {@code realm_access/roles} and the tenant from the {@code footfall.tenant} claim (a Keycloak mapper named
 * "footfall.tenant" writes it nested so).
 */
public class OidcProvider extends FootfallTestResource {

    /** Services configured for this provider, in place of this module's usual test environment. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OidcProvider.class, Map.of("service", "holiday")));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    static final String ISSUER = "https://sso.example.com/realms/footfall";
    static final String AUDIENCE = "footfall";
    static final String JWKS_PATH = "/realms/footfall/protocol/openid-connect/certs";

    static final RsaJsonWebKey KEY_1 = newKey("k1");
    static final RsaJsonWebKey KEY_2 = newKey("k2");
    /** Never published. */
    static final RsaJsonWebKey UNKNOWN_KEY = newKey("k9");

    private record Published(String body, String cacheControl) {
    }

    private static volatile Published published;
    private static final AtomicInteger FETCHES = new AtomicInteger();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        publish(null, KEY_1);
        FETCHES.set(0);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext(JWKS_PATH, exchange -> {
            Published now = published;
            FETCHES.incrementAndGet();
            byte[] body = now.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            if (now.cacheControl() != null) {
                exchange.getResponseHeaders().set("Cache-Control", now.cacheControl());
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        InetSocketAddress address = server.getAddress();
        String jwksUri = "http://" + address.getHostString() + ":" + address.getPort() + JWKS_PATH;
        config.put("mp.jwt.verify.publickey.location", jwksUri);
        config.put("mp.jwt.verify.issuer", ISSUER);
        config.put("mp.jwt.verify.audiences", AUDIENCE);
        config.put("smallrye.jwt.path.groups", "realm_access/roles");
        config.put("footfall.security.tenant-claim", "footfall/tenant");
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
        super.stop();
    }

    /** From now on the JWKS URL serves these keys, with this Cache-Control header (none when null). */
    static void publish(String cacheControl, RsaJsonWebKey... keys) {
        published = new Published(new JsonWebKeySet(keys).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY),
                cacheControl);
    }

    /** How often the JWKS URL has been read since the application started. */
    static int fetches() {
        return FETCHES.get();
    }

    /** The claims of a Keycloak access token for a user with these realm roles in tenant {@code acme}, 5 minutes. */
    static JwtClaims accessToken(String... realmRoles) {
        JwtClaims claims = new JwtClaims();
        NumericDate now = NumericDate.now();
        claims.setIssuedAt(now);
        claims.setExpirationTimeMinutesInTheFuture(5);
        claims.setGeneratedJwtId();
        claims.setIssuer(ISSUER);
        claims.setAudience(AUDIENCE, "account");
        claims.setSubject(UUID.randomUUID().toString());
        claims.setClaim("typ", "Bearer");
        claims.setClaim("azp", "footfall-console");
        claims.setClaim("sid", UUID.randomUUID().toString());
        claims.setClaim("acr", "1");
        List<String> roles = new ArrayList<>(List.of("default-roles-footfall", "offline_access"));
        roles.addAll(List.of(realmRoles));
        claims.setClaim("realm_access", Map.of("roles", roles));
        claims.setClaim("resource_access", Map.of("account", Map.of("roles", List.of("manage-account"))));
        claims.setClaim("scope", "openid profile email");
        claims.setClaim("email_verified", false);
        claims.setClaim("preferred_username", "ada");
        claims.setClaim("footfall", Map.of("tenant", "acme"));
        return claims;
    }

    /** The claims signed with the key, its kid in the header, as Keycloak signs (RS256). */
    static String sign(RsaJsonWebKey key, JwtClaims claims) {
        return sign(key, key.getKeyId(), claims);
    }

    /** Signed with the key but naming another kid. */
    static String sign(RsaJsonWebKey key, String kid, JwtClaims claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(kid);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RsaJsonWebKey newKey(String kid) {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(kid);
            key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            key.setUse("sig");
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
