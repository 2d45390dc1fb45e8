package dev.footfall.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.footfall.common.security.Roles;
import dev.footfall.common.security.VerifiedTokenCache;
import dev.footfall.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.JWTParser;
import jakarta.inject.Inject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Verified tokens are remembered (common's VerifiedTokenCache), but never beyond their own expiry. */
@QuarkusTest
class VerifiedTokenCacheTest {

    @Inject
    JWTParser parser;

    @Test
    void requestAuthenticationGoesThroughTheCache() {
        assertInstanceOf(VerifiedTokenCache.class, parser);
    }

    @Test
    void aRememberedTokenIsRefusedOnceItExpires() throws InterruptedException {
        Instant expiry = Instant.now().plusSeconds(3);
        String token = Tokens.expiringAt(Roles.READER, expiry);
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(token).get("/v1/events?dpu_id=nobody").then().statusCode(200);
        }
        Thread.sleep(Math.max(0, expiry.toEpochMilli() - System.currentTimeMillis()) + 2_200);
        given().auth().oauth2(token).get("/v1/events?dpu_id=nobody").then().statusCode(401);
    }

    @Test
    void aTamperedCopyOfARememberedTokenIsRefused() {
        String token = Tokens.reader();
        given().auth().oauth2(token).get("/v1/events?dpu_id=nobody").then().statusCode(200);
        String[] parts = token.split("\\.");
        String otherPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(parts[1])).replace(Roles.READER, Roles.ADMIN).getBytes());
        given().auth().oauth2(parts[0] + "." + otherPayload + "." + parts[2])
                .get("/v1/events?dpu_id=nobody").then().statusCode(401);
    }
}
