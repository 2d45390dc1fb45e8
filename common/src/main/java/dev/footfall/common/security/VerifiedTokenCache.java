package dev.footfall.common.security;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Remembers bearer tokens whose signature and claims were verified, until they expire, so that a sensor or client
 * sending the same token on every request pays the RSA verification once, not per request (in the ingest profile it
 * was about a seventh of the CPU of single-event requests). A cached token is honoured no longer than its own
 * {@code exp} and at most {@code footfall.security.token-cache.max-age}; tokens are not revocable in MP-JWT anyway, and
 * a remembered token stays accepted for that long even after its signing key is withdrawn from the JWKS.
 * Failures are never cached: a bad token is verified (and rejected) every time.
 *
 * <p>Being the parser every request goes through, it also adds the one rule smallrye-jwt lacks: {@code iat} may not lie
 * in the future (beyond the clock skew). smallrye-jwt bounds {@code exp - iat} by {@code smallrye.jwt.time-to-live}, so
 * without this a token "issued" a year ahead would be valid for a year and the maximum lifetime would mean nothing.
 */
@Alternative
@Priority(1)
@Singleton
public class VerifiedTokenCache implements JWTParser {

    private record Verified(JsonWebToken token, long validUntilMillis) {
    }

    private final DefaultJWTParser verifier;
    private final int maxEntries;
    private final long maxAgeMillis;
    private final long clockSkewSeconds;
    private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

    VerifiedTokenCache(DefaultJWTParser verifier,
            @ConfigProperty(name = "footfall.security.token-cache.max-entries", defaultValue = "10000") int maxEntries,
            @ConfigProperty(name = "footfall.security.token-cache.max-age", defaultValue = "PT5M") java.time.Duration maxAge,
            @ConfigProperty(name = "mp.jwt.verify.clock.skew", defaultValue = "60") int clockSkewSeconds) {
        this.verifier = verifier;
        this.maxEntries = maxEntries;
        this.maxAgeMillis = maxAge.toMillis();
        this.clockSkewSeconds = clockSkewSeconds;
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        long now = System.currentTimeMillis();
        Verified hit = verified.get(token);
        if (hit != null) {
            if (now < hit.validUntilMillis()) {
                return hit.token();
            }
            verified.remove(token, hit);
        }
        JsonWebToken fresh = verifier.parse(token);
        if (fresh.getIssuedAtTime() > now / 1000 + clockSkewSeconds) {
            throw new ParseException("The token's iat lies in the future");
        }
        remember(token, fresh, now);
        return fresh;
    }

    private void remember(String raw, JsonWebToken token, long now) {
        if (maxEntries <= 0 || token.getExpirationTime() <= 0) {
            return;
        }
        long validUntil = Math.min(token.getExpirationTime() * 1000, now + maxAgeMillis);
        if (verified.size() >= maxEntries) {
            // Many distinct tokens at once: start over rather than track recency on every hit.
            verified.clear();
        }
        verified.put(raw, new Verified(token, validUntil));
    }

    // The other ways in are used by applications, not by the request authentication; they are not cached.

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return verifier.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return verifier.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return verifier.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return verifier.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
        return verifier.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return verifier.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return verifier.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return verifier.parseOnly(token);
    }
}
