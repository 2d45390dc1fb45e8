package dev.footfall.holiday.model;

import java.util.UUID;

/** A location as the service knows it: ids are unique per tenant, so a location is named by both. */
public record LocationRef(String tenant, UUID locationId) {
}
