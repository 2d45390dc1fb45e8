package dev.footfall.holiday.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.footfall.holiday.model.LocationRef;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a change's NOTIFY carries names the tenant and the location. */
class HolidayCacheTest {

    @Test
    void aNotificationNamesTenantAndLocation() {
        UUID id = UUID.fromString("9415913d-fffa-41f9-9323-6d62e6100a31");
        for (String tenant : new String[] {"default", "acme", "acme.eu@example-1_x"}) {
            LocationRef ref = new LocationRef(tenant, id);
            assertEquals(ref, HolidayCache.notified(HolidayCache.notification(ref)));
        }
        assertEquals("acme 9415913d-fffa-41f9-9323-6d62e6100a31",
                HolidayCache.notification(new LocationRef("acme", id)));
    }

    @Test
    void aPayloadNamingNoLocationIsIgnored() {
        assertNull(HolidayCache.notified("9415913d-fffa-41f9-9323-6d62e6100a31"));
        assertNull(HolidayCache.notified("acme not-a-uuid"));
        assertNull(HolidayCache.notified(""));
    }
}
