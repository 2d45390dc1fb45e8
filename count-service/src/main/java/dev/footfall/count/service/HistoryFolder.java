package dev.footfall.count.service;

import dev.footfall.common.time.DailyReset;
import dev.footfall.count.repository.HistoryRepository;
import dev.footfall.count.repository.HistoryRepository.Step;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Recomputes the count after each contribution of a space, from an instant on, by the count semantics of DESIGN.md:
 * in (timestamp, arrival) order, {@code count = max(0, count + delta)}, and 0 at every daily reset. Stops early once
 * it is past every new contribution and the recomputed count equals the stored one: from there on, nothing changes.
 */
@ApplicationScoped
public class HistoryFolder {

    static final int PAGE = 5000;

    private final HistoryRepository history;

    HistoryFolder(HistoryRepository history) {
        this.history = history;
    }

    /**
     * @param lastNew the latest timestamp among contributions added or removed since the last fold; null when unknown
     *                (topology change, replay), which folds to the end
     */
    public Uni<Integer> fold(SqlConnection conn, String spaceId, Instant from, Instant lastNew, DailyReset reset) {
        return history.prior(conn, spaceId, from).chain(prior -> {
            State state = new State(prior == null ? null : prior.ts(), prior == null ? 0 : prior.countAfter());
            return foldPages(conn, spaceId, state, from, -1L, lastNew, reset);
        });
    }

    private Uni<Integer> foldPages(SqlConnection conn, String spaceId, State state, Instant afterTs, long afterSeq,
            Instant lastNew, DailyReset reset) {
        return history.page(conn, spaceId, afterTs, afterSeq, PAGE).chain(steps -> {
            List<Step> changed = new ArrayList<>();
            List<Integer> counts = new ArrayList<>();
            boolean converged = false;
            for (Step step : steps) {
                int count = state.apply(step, reset);
                if (!Objects.equals(step.countAfter(), count)) {
                    changed.add(step);
                    counts.add(count);
                } else if (lastNew != null && step.ts().isAfter(lastNew)) {
                    converged = true;
                    break;
                }
            }
            boolean more = !converged && steps.size() == PAGE;
            Step last = steps.isEmpty() ? null : steps.get(steps.size() - 1);
            return history.setCounts(conn, spaceId, changed, counts).chain(() -> more
                    ? foldPages(conn, spaceId, state, last.ts(), last.seq(), lastNew, reset).map(n -> n + changed.size())
                    : Uni.createFrom().item(changed.size()));
        });
    }

    /** The running count and the time of the last contribution applied. */
    static final class State {
        private Instant lastTs;
        private int count;

        State(Instant lastTs, int count) {
            this.lastTs = lastTs;
            this.count = count;
        }

        int apply(Step step, DailyReset reset) {
            if (reset != null && lastTs != null && !reset.after(lastTs).isAfter(step.ts())) {
                count = 0;
            }
            count = Math.max(0, count + step.delta());
            lastTs = step.ts();
            return count;
        }
    }
}
