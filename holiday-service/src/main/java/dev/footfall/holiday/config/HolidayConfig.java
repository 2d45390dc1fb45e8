package dev.footfall.holiday.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Everything holiday-service can be told from outside; environment variables override (FOOTFALL_HOLIDAY_...). */
@ConfigMapping(prefix = "footfall.holiday")
public interface HolidayConfig {

    /** Which provider computes holidays: {@code offline} (the jollyday library, no network) or {@code nager}. */
    @WithDefault("offline")
    String provider();

    /** The longest range one query may ask for, in calendar years (10 allows 2015-01-01..2024-12-31). */
    @WithDefault("10")
    int maxRangeYears();

    Nager nager();

    Refresh refresh();

    Cache cache();

    interface Nager {
        /** Base URL of a Nager.Date-compatible API (its {@code /api/v3/PublicHolidays/{year}/{country}} shape). */
        @WithDefault("https://date.nager.at")
        String baseUrl();

        /** Timeout of one HTTP attempt. */
        @WithDefault("5s")
        Duration timeout();

        /** Retries after a failed attempt (timeouts, connection errors, 429 and 5xx); 0 disables retries. */
        @WithDefault("2")
        int retries();

        /** First back-off between retries; doubles each time. */
        @WithDefault("200ms")
        Duration backoff();
    }

    interface Refresh {
        /** Cron of the scheduled refresh (quarkus-scheduler syntax); {@code off} disables it. */
        @WithDefault("0 17 3 * * ?")
        String cron();

        /** Years after the current one kept loaded by the refresh (2: this year and the next two). */
        @WithDefault("2")
        int yearsAhead();

        /** Refresh all active locations once at start (in the background). */
        @WithDefault("true")
        boolean atStart();
    }

    interface Cache {
        /**
         * The longest a location's active flag and current version are trusted; they are re-read in the background
         * every half of it, so requests do not wait for the read.
         */
        @WithDefault("2s")
        Duration locationTtl();

        /** A location's state not asked for during this long stops being re-read and is dropped. */
        @WithDefault("10m")
        Duration locationIdle();

        /** Bytes of rendered answers (JSON and iCalendar) kept in memory. */
        @WithDefault("64M")
        MemorySize maxAnswerBytes();

        /** How many (location, version, year) holiday lists are kept in memory. */
        @WithDefault("50000")
        long maxYears();

        /** PostgreSQL channel on which replicas tell each other about new versions and deactivations. */
        @WithDefault("holiday_changed")
        String notifyChannel();

        /** Listen for other replicas' changes (PostgreSQL LISTEN/NOTIFY); off leaves only the TTL. */
        @WithDefault("true")
        boolean listen();
    }
}
