package dev.footfall.holiday.security;

import static dev.footfall.holiday.security.OidcProvider.KEY_1;
import static dev.footfall.holiday.security.OidcProvider.UNKNOWN_KEY;
import static dev.footfall.holiday.security.OidcProvider.accessToken;
import static dev.footfall.holiday.security.OidcProvider.sign;
import static dev.footfall.testing.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

/**
 * Tokens of a standard OIDC provider (Keycloak-shaped: kid, iss, aud as an array, azp, realm roles, the tenant in a
 * custom claim) are accepted with roles and tenant from the configured claims; anything wrong about a token is a 401
 * problem, a token without a valid tenant a 403 problem.
 */
@QuarkusTest
@TestProfile(OidcProvider.Profile.class)
class OidcTokenTest {

    @ConfigProperty(name = "smallrye.jwt.time-to-live")
    long maxLifetimeSeconds;

    @ConfigProperty(name = "mp.jwt.verify.clock.skew")
    int clockSkewSeconds;

    private static ValidatableResponse read(String token) {
        return given().auth().oauth2(token).get("/v1/locations").then();
    }

    private static ValidatableResponse write(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"country_code\":\"NL\"}")
                .post("/v1/locations").then();
    }

    private static void assertRefused(JwtClaims claims) {
        assertRefused(sign(KEY_1, claims));
    }

    private static void assertRefused(String token) {
        assertProblem(read(token), 401).header("WWW-Authenticate", containsString("Bearer"));
    }

    @Test
    void aKeycloakAccessTokenIsAcceptedWithRolesAndTenantFromTheConfiguredClaims() {
        read(sign(KEY_1, accessToken("reader"))).statusCode(200);
        write(sign(KEY_1, accessToken("admin"))).statusCode(201);
    }

    @Test
    void rolesComeFromTheConfiguredClaimOnly() {
        JwtClaims claims = accessToken("reader");
        claims.setStringListClaim("groups", "admin");
        assertProblem(write(sign(KEY_1, claims)), 403).body("type", equalTo("https://footfall.dev/problems/forbidden"));
        read(sign(KEY_1, claims)).statusCode(200);
    }

    @Test
    void aTokenWithoutAValidTenantIs403Problem() {
        JwtClaims topLevelOnly = accessToken("admin");
        topLevelOnly.unsetClaim("footfall");
        topLevelOnly.setClaim("tenant", "acme");
        JwtClaims withColon = accessToken("admin");
        withColon.setClaim("footfall", Map.of("tenant", "acme:eu"));
        JwtClaims empty = accessToken("admin");
        empty.setClaim("footfall", Map.of("tenant", ""));
        for (JwtClaims claims : List.of(topLevelOnly, withColon, empty)) {
            assertProblem(write(sign(KEY_1, claims)), 403)
                    .body("type", equalTo("https://footfall.dev/problems/tenant"))
                    .body("detail", containsString("footfall/tenant"));
        }
    }

    @Test
    void aTokenOfAnotherIssuerOrForAnotherAudienceIsRefused() {
        JwtClaims otherIssuer = accessToken("reader");
        otherIssuer.setIssuer("https://sso.example.com/realms/other");
        assertRefused(otherIssuer);
        JwtClaims otherAudience = accessToken("reader");
        otherAudience.setAudience("account");
        assertRefused(otherAudience);
        JwtClaims noAudience = accessToken("reader");
        noAudience.unsetClaim("aud");
        assertRefused(noAudience);
    }

    @Test
    void aTokenWithoutExpIsRefused() {
        JwtClaims claims = accessToken("reader");
        claims.unsetClaim("exp");
        assertRefused(claims);
    }

    private static JwtClaims living(long issuedAt, long lifetimeSeconds) {
        JwtClaims claims = accessToken("reader");
        claims.setIssuedAt(NumericDate.fromSeconds(issuedAt));
        claims.setExpirationTime(NumericDate.fromSeconds(issuedAt + lifetimeSeconds));
        return claims;
    }

    @Test
    void aTokenMayLiveAtMostTheMaximumLifetime() {
        long now = NumericDate.now().getValue();
        read(sign(KEY_1, living(now, maxLifetimeSeconds))).statusCode(200);
        assertRefused(living(now, maxLifetimeSeconds + 1));

        JwtClaims noIssuedAt = accessToken("reader");
        noIssuedAt.unsetClaim("iat");
        assertRefused(noIssuedAt);

        // Five minutes between iat and exp, but iat an hour ahead: it would be valid for 65 minutes from now.
        assertRefused(living(now + 3600, 300));
    }

    @Test
    void theClockSkewIsSmall() {
        long now = NumericDate.now().getValue();
        read(sign(KEY_1, living(now - 300, 300 - clockSkewSeconds / 2))).statusCode(200);
        assertRefused(living(now - 300, 300 - clockSkewSeconds - 5));
    }

    @Test
    void aTokenOfAnUnknownKeyIsRefused() {
        assertRefused(sign(UNKNOWN_KEY, accessToken("reader")));
        assertRefused(sign(UNKNOWN_KEY, KEY_1.getKeyId(), accessToken("reader")));
        String[] parts = sign(KEY_1, accessToken("reader")).split("\\.");
        assertRefused(parts[0] + "." + parts[1] + ".");
    }
}
