package dev.footfall.common.security;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The caller's tenant, from the token's {@code tenant} claim. Carried through to stored rows from the start; isolation
 * between tenants is a later step.
 */
@RequestScoped
public class Tenant {

    public static final String DEFAULT = "default";

    @Inject
    JsonWebToken token;

    public String id() {
        String claim = token == null ? null : token.getClaim("tenant");
        return claim == null || claim.isBlank() ? DEFAULT : claim;
    }
}
