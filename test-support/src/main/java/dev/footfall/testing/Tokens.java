package dev.footfall.testing;

import io.smallrye.jwt.build.Jwt;
import java.time.Duration;
import java.util.Set;

/**
 * Bearer tokens for tests, signed with this run's generated key (see {@link FootfallTestResource}), shaped like those
 * of `./footfall token`: issuer, audience, key id, iat and exp.
 */
public final class Tokens {

    private static final String KEY_ID = "footfall-test";

    private Tokens() {
    }

    public static String sensor() {
        return forRole("sensor");
    }

    public static String reader() {
        return forRole("reader");
    }

    public static String admin() {
        return forRole("admin");
    }

    public static String forRole(String role) {
        return forRole(role, "default");
    }

    public static String forRole(String role, String tenant) {
        return Jwt.issuer(FootfallTestResource.ISSUER)
                .audience(FootfallTestResource.AUDIENCE)
                .upn("test-" + role)
                .groups(Set.of(role))
                .claim("tenant", tenant)
                .expiresIn(Duration.ofHours(1))
                .jws().keyId(KEY_ID)
                .sign(FootfallTestResource.keys().getPrivate());
    }

    /** A token of the role that expires at the given instant (for expiry tests). */
    public static String expiringAt(String role, java.time.Instant expiresAt) {
        return Jwt.issuer(FootfallTestResource.ISSUER)
                .audience(FootfallTestResource.AUDIENCE)
                .upn("test-" + role)
                .groups(Set.of(role))
                .claim("tenant", "default")
                .expiresAt(expiresAt)
                .jws().keyId(KEY_ID)
                .sign(FootfallTestResource.keys().getPrivate());
    }

    /** "Bearer ..." for an Authorization header. */
    public static String bearer(String role) {
        return "Bearer " + forRole(role);
    }
}
