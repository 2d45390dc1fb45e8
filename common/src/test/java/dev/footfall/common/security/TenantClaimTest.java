package dev.footfall.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.footfall.common.problem.ProblemException;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.junit.jupiter.api.Test;

/** The tenant comes from the configured claim, is checked against the tenant id rule, and is refused with a 403. */
class TenantClaimTest {

    private static JsonWebToken token(String claimsJson) {
        try {
            return new DefaultJWTCallerPrincipal(JwtClaims.parse(claimsJson));
        } catch (InvalidJwtException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static TenantClaim claim(String path) {
        return new TenantClaim(path, Optional.empty());
    }

    private static void assertRefused(TenantClaim claim, String claimsJson) {
        ProblemException refused = assertThrows(ProblemException.class, () -> claim.tenantOf(token(claimsJson)));
        assertEquals(403, refused.problem().status());
        assertEquals("https://footfall.dev/problems/tenant", refused.problem().type());
    }

    @Test
    void tenantComesFromTheTenantClaimByDefault() {
        assertEquals("acme", claim("tenant").tenantOf(token("{\"sub\":\"s\",\"tenant\":\"acme\"}")));
    }

    @Test
    void aPathReadsANestedClaim() {
        String keycloakShaped = "{\"sub\":\"s\",\"tenant\":\"not-this\",\"footfall\":{\"tenant\":\"acme.eu\"}}";
        assertEquals("acme.eu", claim("footfall/tenant").tenantOf(token(keycloakShaped)));
        assertEquals("o-42", claim("org/id").tenantOf(token("{\"org\":{\"id\":\"o-42\",\"name\":\"Org\"}}")));
    }

    @Test
    void aQuotedNameMayHoldSlashesAsInNamespacedClaims() {
        String auth0Shaped = "{\"sub\":\"s\",\"https://footfall.dev/tenant\":\"acme\"}";
        assertEquals("acme", claim("\"https://footfall.dev/tenant\"").tenantOf(token(auth0Shaped)));
    }

    @Test
    void tenantIdsFollowTheRule() {
        TenantClaim claim = claim("tenant");
        for (String valid : new String[] {"a", "default", "Acme_2", "ops@acme.example", "x".repeat(64), "9-b.c"}) {
            assertEquals(valid, claim.tenantOf(token("{\"tenant\":\"" + valid + "\"}")));
        }
        for (String invalid : new String[] {"", " ", "acme:eu", "-acme", ".acme", "x".repeat(65), "a b", "a/b",
                "acme\\u0000", "caf\\u00e9"}) {
            assertRefused(claim, "{\"tenant\":\"" + invalid + "\"}");
        }
    }

    @Test
    void aMissingNullOrNonStringTenantIsRefused() {
        TenantClaim claim = claim("footfall/tenant");
        assertRefused(claim, "{\"sub\":\"s\"}");
        assertRefused(claim, "{\"footfall\":{}}");
        assertRefused(claim, "{\"footfall\":{\"tenant\":null}}");
        assertRefused(claim, "{\"footfall\":{\"tenant\":42}}");
        assertRefused(claim, "{\"footfall\":{\"tenant\":[\"acme\"]}}");
        assertRefused(claim, "{\"footfall\":\"acme\"}");
        assertRefused(claim, "{\"tenant\":\"acme\"}");
    }

    @Test
    void theDefaultTenantStandsInOnlyForAMissingClaim() {
        TenantClaim claim = new TenantClaim("tenant", Optional.of("solo"));
        assertEquals("solo", claim.tenantOf(token("{\"sub\":\"s\"}")));
        assertEquals("acme", claim.tenantOf(token("{\"tenant\":\"acme\"}")));
        assertRefused(claim, "{\"tenant\":\"acme:eu\"}");
        assertRefused(claim, "{\"tenant\":\"\"}");
    }

    @Test
    void aMalformedDefaultTenantOrPathStopsTheService() {
        assertThrows(IllegalArgumentException.class, () -> new TenantClaim("tenant", Optional.of("a:b")));
        assertThrows(IllegalArgumentException.class, () -> new TenantClaim("org//id", Optional.empty()));
    }
}
