package dev.footfall.holiday.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.footfall.common.problem.ProblemException;
import dev.footfall.holiday.model.CalendarRef;
import dev.footfall.holiday.model.Holiday;
import dev.footfall.holiday.service.provider.HolidayOverlay;
import dev.footfall.holiday.service.provider.JollydayCalendars;
import dev.footfall.holiday.service.provider.OfflineHolidayProvider;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The ISO 3166-2 data file and the overlay, without the service (plain JUnit). */
class SubdivisionCatalogTest {

    static final JollydayCalendars CALENDARS = new JollydayCalendars();
    static final SubdivisionCatalog CATALOG = new SubdivisionCatalog(CALENDARS);
    static final OfflineHolidayProvider OFFLINE = new OfflineHolidayProvider(CALENDARS, HolidayOverlay.load());

    @Test
    void everyGbAndNlSubdivisionMapsToACalendarTheLibraryHas() {
        assertTrue(CATALOG.size() >= 240, "GB ~225 codes and NL 18");
        for (String code : List.of("GB-ENG", "GB-SCT", "GB-WLS", "GB-NIR", "GB-NSM", "GB-WLL", "GB-SOM", "GB-WRT",
                "NL-DR", "NL-FL", "NL-FR", "NL-GE", "NL-GR", "NL-LI", "NL-NB", "NL-NH", "NL-OV", "NL-UT", "NL-ZE", "NL-ZH",
                "NL-AW", "NL-CW", "NL-SX", "NL-BQ1", "NL-BQ2", "NL-BQ3")) {
            assertNotNull(CATALOG.subdivision(code), code);
        }
        // Every listed code resolves, and its calendar computes.
        for (String country : List.of("GB", "NL")) {
            CATALOG.codes(country).forEach(code -> {
                CalendarRef ref = CATALOG.resolve(country, code);
                assertTrue(!OFFLINE.compute(ref, 2024).isEmpty(), code);
            });
        }
    }

    /**
     * Every GB and NL code of the ISO 3166-2 source (iso-codes 4.20.1, its entries kept verbatim as a test resource) is
     * listed with ISO's name and category, and keeps the holidays of its parent nation: England, Wales, Scotland or
     * Northern Ireland for GB; the national calendar for the NL provinces, the own calendars of AW/CW/SX, and BQ's for
     * the special municipalities. The Welsh-language codes in the Welsh names map to Wales too.
     */
    @Test
    void everyIso31662CodeOfGbAndNlInTheSourceMaps() throws IOException {
        JsonNode entries;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("iso3166/iso_3166-2-gb-nl.json")) {
            entries = new ObjectMapper().readTree(in).get("3166-2");
        }
        Map<String, String> nationCalendars = Map.of("GB-ENG", "gb/eng", "GB-WLS", "gb/wls", "GB-SCT", "gb/sct",
                "GB-NIR", "gb/nir");
        Map<String, String> nlCalendars = Map.of("Province", "nl", "Country", "", "Special municipality", "bq");
        Pattern welshCode = Pattern.compile("GB-[A-Z]{3}");
        int gb = 0;
        int nl = 0;
        List<String> welsh = new ArrayList<>();
        for (JsonNode entry : entries) {
            String code = entry.get("code").asText();
            String type = entry.get("type").asText();
            String country = code.substring(0, 2);
            var listed = CATALOG.subdivision(code);
            assertNotNull(listed, code + " is missing");
            assertEquals(entry.get("name").asText(), listed.name(), code);
            assertEquals(type.toLowerCase(Locale.ROOT), listed.category(), code);
            String calendar = CATALOG.resolve(country, code).calendarId();
            if (country.equals("GB")) {
                gb++;
                String nation = entry.has("parent") ? entry.get("parent").asText() : code;
                assertEquals(nationCalendars.get(nation), calendar, code);
                assertEquals(nation, listed.holidayRegion(), code);
                Matcher m = welshCode.matcher(entry.get("name").asText());
                while (m.find()) {
                    welsh.add(m.group());
                    assertEquals(nationCalendars.get(nation), CATALOG.resolve("GB", m.group()).calendarId(), m.group());
                }
            } else {
                nl++;
                String expected = nlCalendars.get(type);
                if (expected.isEmpty()) {
                    // Aruba, Curaçao, Sint Maarten: their own ISO 3166-1 countries' calendars.
                    expected = code.substring(3).toLowerCase(Locale.ROOT);
                }
                assertTrue(calendar.startsWith(expected), code + " -> " + calendar);
            }
        }
        assertEquals(221, gb, "GB entries in the source");
        assertEquals(18, nl, "NL entries in the source");
        assertEquals(16, welsh.size(), "Welsh-language codes: " + welsh);
        // What the catalogue holds beyond the source: the four codes kept for stored locations, and the Welsh codes.
        assertEquals(221 + 18 + 4 + 16, CATALOG.size());
        assertEquals("deleted 2022-11-29", CATALOG.subdivision("GB-NTH").category());
        assertEquals("gb/eng", CATALOG.resolve("GB", "GB-NTH").calendarId());
        assertEquals("gb/eng", CATALOG.resolve("GB", "GB-NNH").calendarId());
        assertEquals("gb/eng", CATALOG.resolve("GB", "GB-WNH").calendarId());
    }

    @Test
    void countiesBelongToTheirNationsHolidays() {
        Map<String, String> expected = Map.of("GB-NSM", "gb/eng", "GB-WLL", "gb/eng", "GB-SOM", "gb/eng",
                "GB-WRT", "gb/eng", "GB-CRF", "gb/wls", "GB-GLG", "gb/sct", "GB-BFS", "gb/nir", "GB-UKM", "gb",
                "NL-ZH", "nl", "NL-BQ3", "bq/se");
        expected.forEach((code, calendar) -> assertEquals(calendar,
                CATALOG.resolve(code.substring(0, 2), code).calendarId(), code));
        // England and Wales share bank holidays over many years; Scotland and Northern Ireland differ.
        for (int year = 2015; year <= 2030; year++) {
            assertEquals(dates("GB", "GB-ENG", year), dates("GB", "GB-WLS", year), "year " + year);
            assertTrue(!dates("GB", "GB-ENG", year).equals(dates("GB", "GB-SCT", year)));
            assertTrue(!dates("GB", "GB-ENG", year).equals(dates("GB", "GB-NIR", year)));
        }
    }

    @Test
    void invalidCodesAreRefused() {
        assertThrows(ProblemException.class, () -> CATALOG.resolve("GB", "GB-XYZ"));
        assertThrows(ProblemException.class, () -> CATALOG.resolve("GB", "NL-ZH"));
        assertThrows(ProblemException.class, () -> CATALOG.resolve("ZZ", null));
        assertEquals("fr", CATALOG.resolve("FR", null).calendarId());
    }

    @Test
    void overlayLinesNameTheirSource() {
        List<HolidayOverlay.Entry> entries = HolidayOverlay.load().entries();
        assertTrue(entries.stream().allMatch(e -> e.source().contains("http")), "every overlay line names a source");
        HolidayOverlay.Entry millennium = entries.stream().filter(e -> e.date().toString().equals("1999-12-31"))
                .findFirst().orElseThrow();
        assertTrue(millennium.source().contains("Banking and Financial Dealings Act 1971"));
        assertTrue(millennium.source().contains("en.wikipedia.org/wiki/Public_holidays_in_the_United_Kingdom"));
        // Applies to every UK region, including Scotland and Northern Ireland.
        assertTrue(dates("GB", "GB-SCT", 1999).contains("1999-12-31"));
        assertTrue(dates("GB", "GB-NIR", 1999).contains("1999-12-31"));
        // A day added where the library already has it is not doubled.
        List<Holiday> twice = new HolidayOverlay(List.of(millennium, millennium)).apply("gb/eng", 1999, List.of());
        assertEquals(1, twice.size());
    }

    static Set<String> dates(String country, String code, int year) {
        return OFFLINE.compute(CATALOG.resolve(country, code), year).stream()
                .filter(h -> !h.type().equals("observance")).map(h -> h.date().toString()).collect(Collectors.toSet());
    }
}
