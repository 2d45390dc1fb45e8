package dev.footfall.common.security;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The caller's tenant, from the token claim named by {@code footfall.security.tenant-claim} ({@code tenant} unless
 * configured; a path such as {@code org/id} reads a nested claim). {@link #id()} answers 403 (problem+json) for a token
 * whose claim is missing, empty or not a valid tenant id ({@link TenantClaim#TENANT_ID}); when
 * {@code footfall.security.default-tenant} is set, a token without the claim belongs to that tenant instead (a
 * single-tenant deployment behind a plain OIDC provider).
 */
@RequestScoped
public class Tenant {

    /** The tenant of `./footfall token` and of the tests' tokens unless they name another. */
    public static final String DEFAULT = "default";

    @Inject
    JsonWebToken token;

    @Inject
    TenantClaim claim;

    public String id() {
        return claim.tenantOf(token);
    }
}
