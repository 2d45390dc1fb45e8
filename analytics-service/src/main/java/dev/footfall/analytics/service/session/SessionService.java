package dev.footfall.analytics.service.session;

import dev.footfall.analytics.config.AnalyticsConfig;
import dev.footfall.analytics.config.SessionConfig;
import dev.footfall.analytics.model.session.SessionGroup;
import dev.footfall.analytics.model.session.SessionList;
import dev.footfall.analytics.model.session.SessionMetrics;
import dev.footfall.analytics.model.session.SessionRebuild;
import dev.footfall.analytics.model.session.SessionSummary;
import dev.footfall.analytics.repository.session.SessionRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Locale;
import org.jboss.logging.Logger;

/** A tenant's sessions of a user, its funnel summary, and the full rebuild of its sessions. */
@ApplicationScoped
public class SessionService {

    private static final Logger LOG = Logger.getLogger(SessionService.class);

    private final SessionRepository repository;
    private final SessionConfig config;

    SessionService(SessionRepository repository, AnalyticsConfig config) {
        this.repository = repository;
        this.config = config.session();
    }

    /** Sessions of an anonymous id (case-insensitive, every device) starting in [from, to). */
    public Uni<SessionList> sessionsOf(String tenant, String anonymousId, Instant from, Instant to, int limit) {
        String key = anonymousId.toLowerCase(Locale.ROOT);
        int capped = Math.min(limit, config.maxSessions());
        return repository.sessionsOf(tenant, key, from, to, capped + 1).map(sessions -> new SessionList(key, from, to,
                sessions.size() > capped, sessions.size() > capped ? sessions.subList(0, capped) : sessions));
    }

    /** Funnel figures over the sessions starting in [from, to), overall or per city or app version. */
    public Uni<SessionSummary> summary(String tenant, Instant from, Instant to, String groupBy) {
        return repository.figures(tenant, from, to, groupBy).map(groups -> {
            if (groupBy == null) {
                SessionMetrics all = groups.isEmpty()
                        ? new SessionMetrics(0, 0, 0, null, null, null, null)
                        : groups.get(0).metrics();
                return new SessionSummary(from, to, null, all, null);
            }
            return new SessionSummary(from, to, groupBy, null,
                    groups.stream().map(g -> new SessionGroup(g.key(), g.metrics())).toList());
        });
    }

    /** Rebuilds every session of the tenant from its imported events (what the incremental rebuild must equal). */
    public Uni<SessionRebuild> rebuildAll(String tenant) {
        long started = System.nanoTime();
        return repository.rebuildAll(tenant, config.gap(), config.intentEvents(), config.bookingEvents()).map(n -> {
            double seconds = (System.nanoTime() - started) / 1e9;
            LOG.infof("Sessions of %s rebuilt from scratch: %d sessions in %.2f s", tenant, n, seconds);
            return new SessionRebuild(n, Math.round(seconds * 1000) / 1000.0);
        });
    }
}
