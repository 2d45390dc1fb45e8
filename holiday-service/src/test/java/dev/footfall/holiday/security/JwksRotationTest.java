package dev.footfall.holiday.security;

import static dev.footfall.holiday.security.OidcProvider.KEY_1;
import static dev.footfall.holiday.security.OidcProvider.KEY_2;
import static dev.footfall.holiday.security.OidcProvider.accessToken;
import static dev.footfall.holiday.security.OidcProvider.fetches;
import static dev.footfall.holiday.security.OidcProvider.publish;
import static dev.footfall.holiday.security.OidcProvider.sign;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.jose4j.jwk.RsaJsonWebKey;
import org.junit.jupiter.api.Test;

/**
 * The issuer rotates its signing key from k1 to k2 while the service runs: tokens of the new key are accepted as soon
 * as the new key is published, and once the old key is withdrawn and the service has re-read the JWKS, new tokens of
 * the old key are refused. Tokens already verified stay accepted while remembered (common's VerifiedTokenCache).
 */
@QuarkusTest
@TestProfile(JwksRotationTest.OwnApplication.class)
class JwksRotationTest {

    /** An application of its own: the rotation must start from a service that has never seen an unknown kid. */
    public static class OwnApplication extends OidcProvider.Profile {
    }

    private static int status(String token) {
        return given().auth().oauth2(token).get("/v1/locations").then().extract().statusCode();
    }

    private static int statusOfANewToken(RsaJsonWebKey key) {
        return status(sign(key, accessToken("reader")));
    }

    @Test
    void aRotatedKeyIsAcceptedAndTheWithdrawnOneRefusedWithoutARestart() throws InterruptedException {
        // Before: the JWKS holds k1 and says nothing about caching, so the service keeps it for the refresh interval.
        publish(null, KEY_1);
        String rememberedK1 = sign(KEY_1, accessToken("reader"));
        assertEquals(200, status(rememberedK1));
        assertEquals(200, statusOfANewToken(KEY_1));
        assertEquals(200, statusOfANewToken(KEY_1));
        assertEquals(1, fetches(), "the JWKS is read once, not per token");

        // The issuer publishes k2 next to k1 and signs with k2: the first k2 token makes the service re-read the JWKS
        // at once, though its copy is minutes from due. (jose4j skips a re-read within 300 ms of the previous one.)
        Thread.sleep(400);
        publish("max-age=1", KEY_1, KEY_2);
        int before = fetches();
        assertEquals(200, statusOfANewToken(KEY_2));
        assertEquals(before + 1, fetches());
        assertEquals(200, statusOfANewToken(KEY_1), "k1 is still published");

        // The issuer withdraws k1. The service's copy of the JWKS is due after a second (max-age=1): then new k1 tokens
        // are refused while k2 tokens keep working.
        publish("max-age=1", KEY_2);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (statusOfANewToken(KEY_1) == 200 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(401, statusOfANewToken(KEY_1), "k1 is withdrawn");
        assertEquals(200, statusOfANewToken(KEY_2));
        // A k1 token verified before is remembered until it expires or footfall.security.token-cache.max-age passes.
        assertEquals(200, status(rememberedK1));
    }
}
