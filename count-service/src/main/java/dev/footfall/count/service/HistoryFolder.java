package dev.footfall.count.service;

import dev.footfall.common.time.DailyReset;
import dev.footfall.count.config.CountConfig;
import dev.footfall.count.model.SpaceRef;
import dev.footfall.count.repository.HistoryRepository;
import dev.footfall.count.repository.HistoryRepository.Contribution;
import dev.footfall.count.repository.HistoryRepository.Offset;
import dev.footfall.count.repository.HistoryRepository.Step;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Recomputes the count after each contribution of a space, from an instant on, by the count semantics of DESIGN.md:
 * in (timestamp, arrival) order, {@code count = max(0, count + delta)}, and 0 at every daily reset. New contributions
 * are merged into the stored ones as it goes and inserted with their counts. Stops early once it is past every new
 * contribution and the recomputed count equals the stored one: from there on, nothing changes.
 *
 * <p>A stored count is {@code count_after} plus the offset in force (space_offset). Where a late event shifts the
 * rest of the history by the same amount, the fold records one offset instead of rewriting every later row: only the
 * first {@code rewriteLimit} changed rows are rewritten, after that a changed count costs a row only where the shift
 * itself changes (a clamp at 0 absorbs part of it). Reading the tail is cheap; writing it is what was slow.
 */
@ApplicationScoped
public class HistoryFolder {

    static final int PAGE = 10000;

    private final HistoryRepository history;
    private final int rewriteLimit;

    HistoryFolder(HistoryRepository history, CountConfig config) {
        this.history = history;
        this.rewriteLimit = config.reconciler().rewriteLimit();
    }

    /** Refolds stored contributions only (topology change, replay); see {@link #fold(SqlConnection, SpaceRef, Instant, Instant, DailyReset, List)}. */
    public Uni<Integer> fold(SqlConnection conn, SpaceRef space, Instant from, Instant lastNew, DailyReset reset) {
        return fold(conn, space, from, lastNew, reset, List.of());
    }

    /**
     * @param lastNew the latest timestamp among contributions added or removed since the last fold; null when unknown
     *                (topology change, replay), which folds to the end
     * @param added   new contributions (not yet stored) at or after {@code from}, in key order
     * @return rows written
     */
    public Uni<Integer> fold(SqlConnection conn, SpaceRef space, Instant from, Instant lastNew, DailyReset reset,
            List<Contribution> added) {
        return history.prior(conn, space, from).chain(prior -> history.offsetsFrom(conn, space, from).chain(offsets -> {
            Run run = new Run(space, from, lastNew, added, offsets, rewriteLimit,
                    new State(prior == null ? null : prior.ts(), prior == null ? 0 : prior.countAfter(), reset));
            return pages(conn, run, from, -1L);
        }));
    }

    private Uni<Integer> pages(SqlConnection conn, Run run, Instant afterTs, long afterSeq) {
        return history.page(conn, run.space, afterTs, afterSeq, PAGE).chain(steps -> {
            for (Step step : steps) {
                if (run.apply(step)) {
                    break;
                }
            }
            boolean more = !run.converged && steps.size() == PAGE;
            if (!more && !run.converged) {
                run.finishAdded();
            }
            Uni<Void> written = flush(conn, run);
            if (more) {
                Step last = steps.get(steps.size() - 1);
                return written.chain(() -> pages(conn, run, last.ts(), last.seq()));
            }
            return written.chain(() -> history.replaceOffsets(conn, run.space, run.from,
                            run.converged ? run.convergedAt.ts() : null, run.converged ? run.convergedAt.seq() : 0L,
                            run.offsets))
                    .replaceWith(() -> run.written);
        });
    }

    /** Writes what a page produced: rewritten rows and new contributions with their counts. */
    private Uni<Void> flush(SqlConnection conn, Run run) {
        List<Step> rewritten = run.rewritten;
        List<Integer> rewrittenCounts = run.rewrittenCounts;
        List<Contribution> inserted = run.inserted;
        List<Integer> insertedCounts = run.insertedCounts;
        run.rewritten = new ArrayList<>();
        run.rewrittenCounts = new ArrayList<>();
        run.inserted = new ArrayList<>();
        run.insertedCounts = new ArrayList<>();
        run.written += rewritten.size() + inserted.size();
        return history.setCounts(conn, run.space, rewritten, rewrittenCounts)
                .chain(() -> history.insert(conn, run.space, inserted, insertedCounts));
    }

    /**
     * One fold of one space. The new representation from {@code from} on: each row's count_after plus the offset of
     * the last new offset at or before it ({@code offset}, starting at the offset in force before {@code from}).
     */
    static final class Run {
        final SpaceRef space;
        final Instant from;
        final Instant lastNew;
        final List<Contribution> added;
        final List<Offset> existing;
        final State state;
        int nextAdded;
        int nextExisting;
        int existingOffset;
        Offset lastExisting;
        int offset;
        int rewriteBudget;
        boolean converged;
        Step convergedAt;
        int written;
        final List<Offset> offsets = new ArrayList<>();
        List<Step> rewritten = new ArrayList<>();
        List<Integer> rewrittenCounts = new ArrayList<>();
        List<Contribution> inserted = new ArrayList<>();
        List<Integer> insertedCounts = new ArrayList<>();

        Run(SpaceRef space, Instant from, Instant lastNew, List<Contribution> added,
                HistoryRepository.Offsets offsets, int rewriteLimit, State state) {
            this.space = space;
            this.from = from;
            this.lastNew = lastNew;
            this.added = added;
            this.existing = offsets.from();
            this.existingOffset = offsets.base();
            this.offset = offsets.base();
            this.rewriteBudget = rewriteLimit;
            this.state = state;
        }

        /** Applies one stored contribution (and the new ones before it); true once the history has converged. */
        boolean apply(Step step) {
            while (nextAdded < added.size() && compare(added.get(nextAdded), step) < 0) {
                insert(added.get(nextAdded++));
            }
            if (nextAdded < added.size() && compare(added.get(nextAdded), step) == 0) {
                nextAdded++; // already stored (a retried fold): the stored row counts
            }
            while (nextExisting < existing.size() && compareKeys(existing.get(nextExisting).ts(),
                    existing.get(nextExisting).seq(), step.ts(), step.seq()) <= 0) {
                lastExisting = existing.get(nextExisting++);
                existingOffset = lastExisting.value();
            }
            int count = state.apply(step.ts(), step.delta());
            Integer stored = step.countAfter();
            if (lastNew != null && stored != null && step.ts().isAfter(lastNew) && nextAdded == added.size()
                    && count == stored + existingOffset) {
                converged = true;
                convergedAt = step;
                boolean keptAtStep = lastExisting != null && lastExisting.ts().equals(step.ts())
                        && lastExisting.seq() == step.seq();
                if (offset != existingOffset && !keptAtStep) {
                    offsets.add(new Offset(step.ts(), step.seq(), existingOffset));
                }
                return true;
            }
            if (stored != null && count == stored + offset) {
                return false;
            }
            if (stored == null || rewriteBudget > 0) {
                if (stored != null) {
                    rewriteBudget--;
                }
                rewritten.add(step);
                rewrittenCounts.add(count - offset);
            } else {
                offset = count - stored;
                offsets.add(new Offset(step.ts(), step.seq(), offset));
            }
            return false;
        }

        /** The new contributions after the last stored one. */
        void finishAdded() {
            while (nextAdded < added.size()) {
                insert(added.get(nextAdded++));
            }
        }

        private void insert(Contribution c) {
            int count = state.apply(c.ts(), c.delta());
            inserted.add(c);
            insertedCounts.add(count - offset);
        }

        private static int compare(Contribution c, Step s) {
            return compareKeys(c.ts(), c.seq(), s.ts(), s.seq());
        }

        private static int compareKeys(Instant ts1, long seq1, Instant ts2, long seq2) {
            int byTs = ts1.compareTo(ts2);
            return byTs != 0 ? byTs : Long.compare(seq1, seq2);
        }

    }

    /** The running count and the time of the last contribution applied. */
    static final class State {
        private Instant lastTs;
        private int count;
        private final DailyReset reset;

        State(Instant lastTs, int count, DailyReset reset) {
            this.lastTs = lastTs;
            this.count = count;
            this.reset = reset;
        }

        int apply(Instant ts, int delta) {
            if (reset != null && lastTs != null && !reset.after(lastTs).isAfter(ts)) {
                count = 0;
            }
            count = Math.max(0, count + delta);
            lastTs = ts;
            return count;
        }
    }
}
