package dev.footfall.holiday.model;

import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer of {@code GET /v1/locations/{id}/holidays/versions}, newest first. */
@Schema(name = "HolidayVersions")
public record HolidayVersions(UUID locationId, List<HolidayVersion> versions) {
}
