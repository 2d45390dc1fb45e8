package dev.footfall.common.security;

/** The three roles of DESIGN.md, as carried in the token's {@code groups} claim. */
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
