package dev.footfall.analytics.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** App sessions: CSV import and sessionization (footfall.analytics.session.*). */
public interface SessionConfig {

    /** A gap of at least this long between two events of a user starts a new session. */
    @WithDefault("PT15M")
    Duration gap();

    /** Event names (exact) that show intent: a scooter selection or a QR scan. */
    @WithDefault("Scooter Selected - User,Scooter Selected - Auto,Qr Scanner - Scanned Succeeded")
    List<String> intentEvents();

    /** Event names (exact) that make a session a successful booking; a failed ride start is not one of them. */
    @WithDefault("Ride Started - Successful,Ride Done - Successful,Rating Screen")
    List<String> bookingEvents();

    /** CSV rows written to PostgreSQL per statement. */
    @WithDefault("2500")
    int batchRows();

    /** Batches being stored at once during an upload (each on its own connection), while the next one is parsed. */
    @WithDefault("2")
    int inFlightBatches();

    /** Rejected rows listed in an upload's answer (all are counted). */
    @WithDefault("100")
    int maxRowErrors();

    /** Most sessions one GET /v1/sessions answers. */
    @WithDefault("1000")
    int maxSessions();
}
