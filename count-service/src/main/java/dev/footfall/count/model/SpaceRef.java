package dev.footfall.count.model;

/** A space as the history knows it: ids are unique per tenant, so a space is named by both. */
public record SpaceRef(String tenant, String spaceId) {
}
