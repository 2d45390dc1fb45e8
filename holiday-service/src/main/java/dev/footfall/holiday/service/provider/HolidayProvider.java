package dev.footfall.holiday.service.provider;

import dev.footfall.holiday.model.CalendarRef;
import dev.footfall.holiday.model.Holiday;
import io.smallrye.mutiny.Uni;
import java.util.List;

/** A source of holidays. Implementations never block the caller's thread. */
public interface HolidayProvider {

    /** The name stored with every version this provider wrote ({@code offline}, {@code nager}). */
    String name();

    /** Every holiday of {@code year} for the calendar, all types, sorted by date. */
    Uni<List<Holiday>> holidays(CalendarRef calendar, int year);

    /** Raised when a provider cannot answer; the current version is kept. */
    class ProviderException extends RuntimeException {
        public ProviderException(String message) {
            super(message);
        }

        public ProviderException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
