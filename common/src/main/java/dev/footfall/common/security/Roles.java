package dev.footfall.common.security;

/**
 * The three roles of DESIGN.md, as carried in the token's roles claim ({@code smallrye.jwt.path.groups}: {@code groups}
 * unless configured, e.g. {@code realm_access/roles} for Keycloak).
 */
public final class Roles {

    /** May only post sensor events. */
    public static final String SENSOR = "sensor";
    /** May read (GET). */
    public static final String READER = "reader";
    /** Everything else: topology, locations, loads, runs, replays, refresh, erasure; also reads. */
    public static final String ADMIN = "admin";

    private Roles() {
    }
}
