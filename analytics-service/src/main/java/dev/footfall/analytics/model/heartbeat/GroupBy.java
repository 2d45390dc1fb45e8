package dev.footfall.analytics.model.heartbeat;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How percentile results are grouped. A software version groups by its version string, a cohort by its name. */
public enum GroupBy {
    NONE, SOFTWARE_VERSION, COHORT, DAY;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<GroupBy> parse(String text) {
        return Arrays.stream(values()).filter(g -> g.wireName().equals(text)).findFirst();
    }
}
