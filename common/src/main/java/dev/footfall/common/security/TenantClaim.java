package dev.footfall.common.security;

import dev.footfall.common.problem.Problem;
import dev.footfall.common.problem.ProblemException;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Where a token carries its tenant and what a tenant id may be (see {@link Tenant}). Created at start, so that a
 * malformed {@code footfall.security.default-tenant} stops the service instead of failing requests.
 */
@Startup
@Singleton
public class TenantClaim {

    /** A tenant id: it is stored with rows and is part of Redis keys, so it is short and never holds a colon. */
    public static final Pattern TENANT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}");

    // The claim path syntax of smallrye-jwt (smallrye.jwt.path.groups): '/' between names, "quoted" names may hold '/'.
    private static final Pattern PATH_SEPARATOR = Pattern.compile("/(?=(?:(?:[^\"]*\"){2})*[^\"]*$)");
    private static final String RULE = "1 to 64 letters, digits, '_', '.', '@' or '-', starting with a letter or digit";

    private final String path;
    private final List<String> names;
    private final Optional<String> defaultTenant;

    TenantClaim(@ConfigProperty(name = "footfall.security.tenant-claim", defaultValue = "tenant") String path,
            @ConfigProperty(name = "footfall.security.default-tenant") Optional<String> defaultTenant) {
        this.path = path.trim();
        String[] segments = this.path.indexOf('/') > 0 ? PATH_SEPARATOR.split(this.path) : new String[] {this.path};
        this.names = Arrays.stream(segments).map(name -> name.replace("\"", "")).toList();
        if (names.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("footfall.security.tenant-claim '" + path + "' is not a claim path");
        }
        defaultTenant.filter(id -> !TENANT_ID.matcher(id).matches()).ifPresent(id -> {
            throw new IllegalArgumentException("footfall.security.default-tenant must be " + RULE);
        });
        this.defaultTenant = defaultTenant;
    }

    /**
     * The token's tenant id; the default tenant when the token has no such claim and one is configured.
     *
     * @throws ProblemException 403 when the claim is missing (and there is no default), empty or malformed
     */
    public String tenantOf(JsonWebToken token) {
        Object value = token == null ? null : token.getClaim(names.get(0));
        for (String name : names.subList(1, names.size())) {
            if (isAbsent(value)) {
                break;
            }
            value = switch (value) {
                case JsonObject object -> object.get(name);
                case Map<?, ?> map -> map.get(name);
                default -> throw refusal("The token's claim '" + path + "' is not an object holding the tenant");
            };
        }
        if (isAbsent(value)) {
            return defaultTenant.orElseThrow(() -> refusal("The token carries no tenant (claim '" + path + "')"));
        }
        String id = switch (value) {
            case String text -> text;
            case JsonString text -> text.getString();
            default -> null;
        };
        if (id == null || !TENANT_ID.matcher(id).matches()) {
            throw refusal("The token's tenant (claim '" + path + "') must be " + RULE);
        }
        return id;
    }

    private static boolean isAbsent(Object value) {
        return value == null || value == JsonValue.NULL;
    }

    private static ProblemException refusal(String detail) {
        return new ProblemException(Problem.of(403, "tenant", "No valid tenant", detail));
    }
}
