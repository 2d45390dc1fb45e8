package dev.footfall.analytics.service.session;

import dev.footfall.analytics.config.AnalyticsConfig;
import dev.footfall.analytics.config.SessionConfig;
import dev.footfall.analytics.model.session.SessionRow;
import dev.footfall.analytics.model.session.SessionUpload;
import dev.footfall.analytics.repository.session.SessionRepository;
import dev.footfall.analytics.repository.session.SessionRepository.Stored;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Imports the app's CSV export: reads the stream row by row on a worker thread, stores batches of rows while the next
 * batch is being parsed (up to {@code inFlightBatches} batches stored at once, each on its own connection, so both the
 * parsing and PostgreSQL's index maintenance keep going; memory stays at that many batches plus one whatever the file
 * size), then rebuilds the sessions the new rows touched. A log import, not a transaction: each batch commits on its
 * own. Concurrent batches are safe: a row stored by two of them at once is kept once (the content-hash constraint
 * waits for the other), and each batch records the clusters of its own new rows, which the rebuild merges.
 */
@ApplicationScoped
public class SessionImportService {

    private static final Logger LOG = Logger.getLogger(SessionImportService.class);

    private final SessionRepository repository;
    private final SessionConfig config;

    SessionImportService(SessionRepository repository, AnalyticsConfig config) {
        this.repository = repository;
        this.config = config.session();
    }

    /** Blocks (worker thread only): reads, stores and sessionizes the upload, all of it the tenant's. */
    public SessionUpload importCsv(String tenant, InputStream body) {
        long started = System.nanoTime();
        SessionCsvReader reader = new SessionCsvReader(body);
        reader.readHeader();
        Counts counts = new Counts(config.maxRowErrors());
        List<SessionRow> batch = new ArrayList<>(config.batchRows());
        Deque<CompletableFuture<Stored>> inFlight = new ArrayDeque<>();
        while (reader.next(counts.sink(batch))) {
            if (batch.size() >= config.batchRows()) {
                if (inFlight.size() >= config.inFlightBatches()) {
                    counts.add(inFlight.removeFirst().join());
                }
                inFlight.addLast(repository.insert(tenant, batch, config.gap()).subscribeAsCompletionStage());
                batch = new ArrayList<>(config.batchRows());
                counts.rebind(batch);
            }
        }
        if (!batch.isEmpty()) {
            inFlight.addLast(repository.insert(tenant, batch, config.gap()).subscribeAsCompletionStage());
        }
        while (!inFlight.isEmpty()) {
            counts.add(inFlight.removeFirst().join());
        }
        long loaded = System.nanoTime();
        long[] rebuilt = counts.inserted == 0 ? new long[] {0, 0} : repository
                .rebuildTouched(tenant, config.gap(), config.intentEvents(), config.bookingEvents())
                .await().indefinitely();
        long finished = System.nanoTime();
        LOG.infof("Session upload of %s: %d rows, %d new, %d duplicates, %d rejected; %d users' sessions rebuilt "
                + "(%d sessions) in %d ms", tenant, counts.rows, counts.inserted, counts.duplicates, counts.rejected,
                rebuilt[0], rebuilt[1], Duration.ofNanos(System.nanoTime() - started).toMillis());
        return new SessionUpload(counts.rows, counts.inserted, counts.duplicates, counts.rejected, counts.errors,
                rebuilt[0], rebuilt[1], seconds(loaded - started), seconds(finished - loaded), SessionUpload.NOTE);
    }

    private static double seconds(long nanos) {
        return Math.round(nanos / 1e6) / 1000.0;
    }

    private static final class Counts {
        private final int maxErrors;
        private final List<SessionUpload.RowError> errors = new ArrayList<>();
        private long rows;
        private long inserted;
        private long duplicates;
        private long rejected;
        private List<SessionRow> batch;
        private final SessionCsvReader.Sink sink = new SessionCsvReader.Sink() {
            @Override
            public void row(SessionRow row) {
                rows++;
                batch.add(row);
            }

            @Override
            public void rejected(long line, String message) {
                rows++;
                rejected++;
                if (errors.size() < maxErrors) {
                    errors.add(new SessionUpload.RowError(line, message));
                }
            }
        };

        Counts(int maxErrors) {
            this.maxErrors = maxErrors;
        }

        SessionCsvReader.Sink sink(List<SessionRow> target) {
            this.batch = target;
            return sink;
        }

        void rebind(List<SessionRow> target) {
            this.batch = target;
        }

        void add(Stored stored) {
            inserted += stored.inserted();
            duplicates += stored.duplicates();
        }
    }
}
