package dev.footfall.testing;

import io.smallrye.jwt.build.Jwt;
import java.time.Duration;
import java.util.Set;

/** Bearer tokens for tests, signed with this run's generated key (see {@link FootfallTestResource}). */
public final class Tokens {

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
                .upn("test-" + role)
                .groups(Set.of(role))
                .claim("tenant", tenant)
                .expiresIn(Duration.ofHours(1))
                .sign(FootfallTestResource.keys().getPrivate());
    }

    /** A token of the role that expires at the given instant (for expiry tests). */
    public static String expiringAt(String role, java.time.Instant expiresAt) {
        return Jwt.issuer(FootfallTestResource.ISSUER)
                .upn("test-" + role)
                .groups(Set.of(role))
                .claim("tenant", "default")
                .expiresAt(expiresAt)
                .sign(FootfallTestResource.keys().getPrivate());
    }

    /** "Bearer ..." for an Authorization header. */
    public static String bearer(String role) {
        return "Bearer " + forRole(role);
    }
}
