package dev.footfall.analytics.service.warehouse;

import dev.footfall.analytics.model.warehouse.SourceGeneration;
import dev.footfall.analytics.repository.warehouse.SourceRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Fills the stand-in production database (`source`) with a deterministic community: for a scale of N, about N RSVPs,
 * N/10 members, N/25 events, N/1000 groups (at least a handful of each), with skew (a few large groups, many small),
 * RSVP bursts before events, and dirty rows for the quality checks. Each tenant has a source of its own: generating
 * replaces the tenant's source and resets the tenant's warehouse built from it; the mutation mode changes a fraction
 * of it as the product would, for incremental runs. Both hold the tenant's warehouse lock.
 */
@ApplicationScoped
public class SourceGenerator {

    private static final Logger LOG = Logger.getLogger(SourceGenerator.class);

    private final SourceRepository source;
    private final WarehouseRunService runs;

    SourceGenerator(SourceRepository source, WarehouseRunService runs) {
        this.source = source;
        this.runs = runs;
    }

    /** as_of: the generated world's "now" (events run until 90 days after it); default the start of this UTC month. */
    public Uni<SourceGeneration> generate(String tenant, long scale, long seed, Instant asOf) {
        Instant at = asOf != null ? asOf
                : Instant.now().atOffset(ZoneOffset.UTC).withDayOfMonth(1).toLocalDate().atStartOfDay()
                        .toInstant(ZoneOffset.UTC);
        long groups = Math.max(5, scale / 1000);
        long members = Math.max(50, scale / 10);
        long events = Math.max(20, scale / 25);
        long attempts = scale + scale / 6;
        long started = System.nanoTime();
        return runs.locked(tenant, tx -> source.generate(tx, tenant, seed, groups, members, 2 * groups, events,
                        attempts, at.atOffset(ZoneOffset.UTC)))
                .map(rows -> done(tenant,
                        new SourceGeneration("generate", scale, seed, at, null, rows, seconds(started))));
    }

    public Uni<SourceGeneration> mutate(String tenant, double fraction, long seed) {
        long started = System.nanoTime();
        return runs.locked(tenant, tx -> source.mutate(tx, tenant, seed, fraction))
                .map(rows -> done(tenant,
                        new SourceGeneration("mutate", null, seed, null, fraction, rows, seconds(started))));
    }

    private static SourceGeneration done(String tenant, SourceGeneration g) {
        LOG.infof("Warehouse source of %s, %s: %s in %.1f s", tenant, g.mode(), g.rows(), g.seconds());
        return g;
    }

    private static double seconds(long started) {
        return Math.round((System.nanoTime() - started) / 1e6) / 1000.0;
    }
}
