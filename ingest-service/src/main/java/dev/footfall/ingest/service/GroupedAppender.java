package dev.footfall.ingest.service;

import dev.footfall.ingest.model.SensorEvent;
import dev.footfall.ingest.model.StoredEvent;
import dev.footfall.ingest.repository.EventRepository;
import dev.footfall.ingest.repository.EventRepository.Appended;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Group commit for the append: requests that arrive while {@code maxInFlight} appends are already running wait, and
 * the next append takes all of them (up to {@code maxEvents}) in one statement and one commit. An idle service appends
 * a request at once, so grouping adds no latency; a busy one turns many small requests (one event each, from many
 * sensors) into few statements, commits and Redis pipelines. A request is answered only after the statement that
 * carried it has committed and its group has been applied to the real-time counters. A group holds one tenant's
 * requests: its statement runs as that tenant, under the tables' row-level security.
 */
final class GroupedAppender {

    /** One request's distinct events, and who waits for the ones stored. */
    private record Pending(List<SensorEvent> events, String source, String tenant, String requestId,
            UniEmitter<? super List<StoredEvent>> answer, Context context) {
    }

    /** What happens once a group has committed: its tenant and the events it stored. */
    interface AfterCommit {
        Uni<Void> apply(String tenant, List<StoredEvent> stored);
    }

    private final EventRepository repository;
    private final AfterCommit afterCommit;
    private final int maxInFlight;
    private final int maxEvents;
    private final ConcurrentLinkedQueue<Pending> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final DistributionSummary groupSize;

    GroupedAppender(EventRepository repository, AfterCommit afterCommit, int maxInFlight,
            int maxEvents, MeterRegistry registry) {
        this.repository = repository;
        this.afterCommit = afterCommit;
        this.maxInFlight = maxInFlight;
        this.maxEvents = maxEvents;
        this.groupSize = DistributionSummary.builder("footfall.ingest.append.group.size").baseUnit("requests")
                .description("Requests appended together in one statement and commit").register(registry);
    }

    /** Appends the events (distinct keys) of one request; emits those stored, i.e. not seen before. */
    Uni<List<StoredEvent>> append(List<SensorEvent> events, String source, String tenant, String requestId) {
        return Uni.createFrom().emitter(answer -> {
            waiting.add(new Pending(events, source, tenant, requestId, answer, Vertx.currentContext()));
            drain();
        });
    }

    /** Starts appends while there is room and something waits. */
    private void drain() {
        while (!waiting.isEmpty()) {
            int running = inFlight.get();
            if (running >= maxInFlight) {
                return; // a running append calls drain() again when it ends
            }
            if (!inFlight.compareAndSet(running, running + 1)) {
                continue;
            }
            List<Pending> group = takeGroup();
            if (group.isEmpty()) {
                inFlight.decrementAndGet();
                continue;
            }
            run(group);
        }
    }

    /** The oldest waiting request and, after it, the waiting requests of its tenant that fit. */
    private List<Pending> takeGroup() {
        List<Pending> group = new ArrayList<>();
        int events = 0;
        String tenant = null;
        for (Pending next : waiting) {
            if (tenant != null && !tenant.equals(next.tenant())) {
                continue;
            }
            if (!group.isEmpty() && events + next.events().size() > maxEvents) {
                break;
            }
            if (waiting.remove(next)) {
                group.add(next);
                events += next.events().size();
                tenant = next.tenant();
            }
        }
        return group;
    }

    private void run(List<Pending> group) {
        groupSize.record(group.size());
        // A key repeated across the group's requests is stored for the first request that carries it; the later
        // ones see it as a duplicate, exactly as if they had come one after the other.
        List<Appended> rows = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        Map<String, Boolean> keys = group.size() == 1 ? null : new HashMap<>();
        for (int r = 0; r < group.size(); r++) {
            Pending p = group.get(r);
            for (SensorEvent e : p.events()) {
                if (keys == null || keys.putIfAbsent(e.dedupKey(), Boolean.TRUE) == null) {
                    rows.add(new Appended(e, p.source(), p.requestId()));
                    owner.add(r);
                }
            }
        }
        String tenant = group.get(0).tenant();
        repository.append(tenant, rows).chain(seqs -> {
            List<List<StoredEvent>> storedByRequest = new ArrayList<>(group.size());
            group.forEach(p -> storedByRequest.add(new ArrayList<>()));
            List<StoredEvent> all = new ArrayList<>(rows.size());
            for (int i = 0; i < seqs.length; i++) {
                if (seqs[i] != 0) {
                    SensorEvent e = rows.get(i).event();
                    StoredEvent stored = new StoredEvent(seqs[i], e.dpuId(), e.timestamp(), e.direction());
                    storedByRequest.get(owner.get(i)).add(stored);
                    all.add(stored);
                }
            }
            return afterCommit.apply(tenant, all).replaceWith(storedByRequest);
        }).subscribe().with(storedByRequest -> {
            finished();
            for (int r = 0; r < group.size(); r++) {
                Pending p = group.get(r);
                List<StoredEvent> stored = storedByRequest.get(r);
                answer(p, () -> p.answer().complete(stored));
            }
        }, failure -> {
            finished();
            group.forEach(p -> answer(p, () -> p.answer().fail(failure)));
        });
    }

    private void finished() {
        inFlight.decrementAndGet();
        drain();
    }

    /** Answers on the request's own context, so it goes on where it started. */
    private static void answer(Pending p, Runnable answer) {
        if (p.context() == null || p.context() == Vertx.currentContext()) {
            answer.run();
        } else {
            p.context().runOnContext(v -> answer.run());
        }
    }
}
