package dev.footfall.analytics.repository.warehouse;

import dev.footfall.analytics.model.warehouse.QualityCheck;
import dev.footfall.common.db.TenantSql;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;

/**
 * The data-quality checks, each one query over a tenant's silver (with natural keys from its key maps, so that a
 * finding can be looked up in its source). Each returns the number of violations and the smallest few keys.
 */
@ApplicationScoped
public class WarehouseQualityRepository {

    /** A documented check: its query selects one text column `k`, the natural key of each violating row. */
    record Check(String name, String kind, String description, String keys) {
    }

    static final List<Check> CHECKS = List.of(
            new Check("member_email_missing", "null", "Members without an e-mail address", """
                    SELECT k.member_id::text AS k FROM wh_silver_member m
                    JOIN wh_keymap_member k ON k.tenant = $1 AND k.member_sk = m.member_sk
                    WHERE m.tenant = $1 AND m.email IS NULL"""),
            new Check("member_birth_year_out_of_range", "range",
                    "Members born before 1900, or less than 13 years ago (including dates in the future)", """
                    SELECT k.member_id::text AS k FROM wh_silver_member m
                    JOIN wh_keymap_member k ON k.tenant = $1 AND k.member_sk = m.member_sk
                    WHERE m.tenant = $1 AND (m.birth_year < 1900 OR m.birth_year > extract(year FROM now()) - 13)"""),
            new Check("rsvp_guests_out_of_range", "range", "Current RSVPs with negative guests or more than 10", """
                    SELECT ke.event_id || '/' || km.member_id AS k FROM wh_silver_rsvp r
                    JOIN wh_keymap_event ke ON ke.tenant = $1 AND ke.event_sk = r.event_sk
                    JOIN wh_keymap_member km ON km.tenant = $1 AND km.member_sk = r.member_sk
                    WHERE r.tenant = $1 AND r.is_current AND (r.guests < 0 OR r.guests > 10)"""),
            new Check("rsvp_response_invalid", "range", "Current RSVPs whose response is not yes, no or waitlist", """
                    SELECT ke.event_id || '/' || km.member_id AS k FROM wh_silver_rsvp r
                    JOIN wh_keymap_event ke ON ke.tenant = $1 AND ke.event_sk = r.event_sk
                    JOIN wh_keymap_member km ON km.tenant = $1 AND km.member_sk = r.member_sk
                    WHERE r.tenant = $1 AND r.is_current AND r.response IS DISTINCT FROM 'yes'
                      AND r.response IS DISTINCT FROM 'no' AND r.response IS DISTINCT FROM 'waitlist'"""),
            new Check("event_rsvp_limit_invalid", "range", "Events with an RSVP limit of zero or less (null: no limit)", """
                    SELECT k.event_id::text AS k FROM wh_silver_event e
                    JOIN wh_keymap_event k ON k.tenant = $1 AND k.event_sk = e.event_sk
                    WHERE e.tenant = $1 AND e.rsvp_limit <= 0"""),
            new Check("event_timezone_unknown", "range",
                    "Events whose timezone is not an IANA name (their local start was read as UTC)", """
                    SELECT k.event_id::text AS k FROM wh_silver_event e
                    JOIN wh_keymap_event k ON k.tenant = $1 AND k.event_sk = e.event_sk
                    WHERE e.tenant = $1 AND NOT e.timezone_valid"""),
            new Check("event_start_missing", "null", "Events without a start time", """
                    SELECT k.event_id::text AS k FROM wh_silver_event e
                    JOIN wh_keymap_event k ON k.tenant = $1 AND k.event_sk = e.event_sk
                    WHERE e.tenant = $1 AND e.starts_at IS NULL"""),
            new Check("venue_coordinates_out_of_range", "range",
                    "Venues whose latitude is outside [-90, 90] or longitude outside [-180, 180]", """
                    SELECT k.venue_id::text AS k FROM wh_silver_venue v
                    JOIN wh_keymap_venue k ON k.tenant = $1 AND k.venue_sk = v.venue_sk
                    WHERE v.tenant = $1 AND (v.lat NOT BETWEEN -90 AND 90 OR v.lon NOT BETWEEN -180 AND 180)"""),
            new Check("groups_without_admin", "consistency", "Groups with no member whose role is admin", """
                    SELECT k.group_id::text AS k FROM wh_silver_group g
                    JOIN wh_keymap_group k ON k.tenant = $1 AND k.group_sk = g.group_sk
                    WHERE g.tenant = $1
                      AND NOT EXISTS (SELECT 1 FROM wh_silver_membership ms
                                      WHERE ms.tenant = $1 AND ms.group_sk = g.group_sk AND ms.role = 'admin')"""),
            new Check("rsvp_after_event_start", "consistency",
                    "Current RSVPs answered after their event had started", """
                    SELECT ke.event_id || '/' || km.member_id AS k FROM wh_silver_rsvp r
                    JOIN wh_silver_event e ON e.tenant = $1 AND e.event_sk = r.event_sk
                    JOIN wh_keymap_event ke ON ke.tenant = $1 AND ke.event_sk = r.event_sk
                    JOIN wh_keymap_member km ON km.tenant = $1 AND km.member_sk = r.member_sk
                    WHERE r.tenant = $1 AND r.is_current AND r.responded_at > e.starts_at"""),
            new Check("rsvp_orphan_member", "orphan", "Current RSVPs of a member the source does not have", """
                    SELECT ke.event_id || '/' || km.member_id AS k FROM wh_silver_rsvp r
                    JOIN wh_keymap_event ke ON ke.tenant = $1 AND ke.event_sk = r.event_sk
                    JOIN wh_keymap_member km ON km.tenant = $1 AND km.member_sk = r.member_sk
                    WHERE r.tenant = $1 AND r.is_current
                      AND NOT EXISTS (SELECT 1 FROM wh_silver_member m
                                      WHERE m.tenant = $1 AND m.member_sk = r.member_sk)"""),
            new Check("rsvp_orphan_event", "orphan", "Current RSVPs of an event the source does not have", """
                    SELECT ke.event_id || '/' || km.member_id AS k FROM wh_silver_rsvp r
                    JOIN wh_keymap_event ke ON ke.tenant = $1 AND ke.event_sk = r.event_sk
                    JOIN wh_keymap_member km ON km.tenant = $1 AND km.member_sk = r.member_sk
                    WHERE r.tenant = $1 AND r.is_current
                      AND NOT EXISTS (SELECT 1 FROM wh_silver_event e
                                      WHERE e.tenant = $1 AND e.event_sk = r.event_sk)"""),
            new Check("membership_orphan", "orphan", "Memberships whose group or member the source does not have", """
                    SELECT kg.group_id || '/' || km.member_id AS k FROM wh_silver_membership ms
                    JOIN wh_keymap_group kg ON kg.tenant = $1 AND kg.group_sk = ms.group_sk
                    JOIN wh_keymap_member km ON km.tenant = $1 AND km.member_sk = ms.member_sk
                    WHERE ms.tenant = $1
                      AND (NOT EXISTS (SELECT 1 FROM wh_silver_group g WHERE g.tenant = $1 AND g.group_sk = ms.group_sk)
                           OR NOT EXISTS (SELECT 1 FROM wh_silver_member m
                                          WHERE m.tenant = $1 AND m.member_sk = ms.member_sk))"""),
            new Check("event_orphan_group_or_venue", "orphan",
                    "Events without a known group, or naming a venue the source does not have", """
                    SELECT k.event_id::text AS k FROM wh_silver_event e
                    JOIN wh_keymap_event k ON k.tenant = $1 AND k.event_sk = e.event_sk
                    WHERE e.tenant = $1
                      AND (e.group_sk IS NULL
                           OR NOT EXISTS (SELECT 1 FROM wh_silver_group g
                                          WHERE g.tenant = $1 AND g.group_sk = e.group_sk)
                           OR (e.venue_sk IS NOT NULL
                               AND NOT EXISTS (SELECT 1 FROM wh_silver_venue v
                                               WHERE v.tenant = $1 AND v.venue_sk = e.venue_sk)))"""));

    private final TenantSql tenantSql;

    WarehouseQualityRepository(TenantSql tenantSql) {
        this.tenantSql = tenantSql;
    }

    /** Every check over the tenant's silver ($1 in each check's query). */
    public Uni<List<QualityCheck>> run(String tenant, int samples) {
        return Multi.createFrom().iterable(CHECKS)
                .onItem().transformToUniAndConcatenate(c -> tenantSql.query(tenant,
                                "SELECT count(*), (array_agg(k ORDER BY length(k), k))[1:$2] FROM (" + c.keys() + ") x",
                                Tuple.of(tenant, samples))
                        .map(rows -> {
                            Row r = rows.iterator().next();
                            String[] keys = r.getArrayOfStrings(1);
                            return new QualityCheck(c.name(), c.kind(), "silver", c.description(), r.getLong(0),
                                    keys == null ? List.of() : Arrays.asList(keys));
                        }))
                .collect().asList();
    }

    public Uni<Long> lastRun(String tenant) {
        return tenantSql.query(tenant, "SELECT max(id) FROM wh_run WHERE tenant = $1 AND status = 'succeeded'",
                        Tuple.of(tenant))
                .map(rows -> rows.iterator().next().getLong(0));
    }
}
