package dev.footfall.holiday.service.provider;

import dev.footfall.holiday.config.HolidayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

/** Picks the configured provider ({@code footfall.holiday.provider}); an unknown name stops the service at start. */
@ApplicationScoped
public class HolidayProviders {

    private final HolidayProvider active;

    HolidayProviders(HolidayConfig config, Instance<OfflineHolidayProvider> offline, Instance<NagerDateProvider> nager) {
        this.active = switch (config.provider()) {
            case OfflineHolidayProvider.NAME -> offline.get();
            case NagerDateProvider.NAME -> nager.get();
            default -> throw new IllegalStateException("footfall.holiday.provider must be offline or nager, not "
                    + config.provider());
        };
    }

    public HolidayProvider active() {
        return active;
    }
}
