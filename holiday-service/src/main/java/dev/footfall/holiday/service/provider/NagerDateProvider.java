package dev.footfall.holiday.service.provider;

import dev.footfall.holiday.config.HolidayConfig;
import dev.footfall.holiday.model.CalendarRef;
import dev.footfall.holiday.model.Holiday;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Holidays from a Nager.Date-compatible HTTP API ({@code GET /api/v3/PublicHolidays/{year}/{country}}): each attempt
 * has a timeout, and timeouts, connection errors, 429 and 5xx are retried with exponential back-off.
 */
@ApplicationScoped
public class NagerDateProvider implements HolidayProvider {

    public static final String NAME = "nager";
    private static final Logger LOG = Logger.getLogger(NagerDateProvider.class);
    /** Nager.Date types in the order we pick the one that describes a day. */
    private static final List<String> TYPE_ORDER = List.of("Public", "Bank", "Authorities", "School", "Optional",
            "Observance");

    private final HolidayConfig.Nager config;
    private final WebClient client;

    NagerDateProvider(Vertx vertx, HolidayConfig config) {
        this.config = config.nager();
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) this.config.timeout().toMillis())
                .setUserAgent("footfall-holiday-service"));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Uni<List<Holiday>> holidays(CalendarRef calendar, int year) {
        String url = config.baseUrl().replaceAll("/+$", "") + "/api/v3/PublicHolidays/" + year + "/"
                + calendar.providerCountry();
        return Uni.createFrom().deferred(() -> client.getAbs(url).timeout(config.timeout().toMillis()).send())
                .map(response -> parse(url, response, calendar.providerRegion()))
                .onFailure(NagerDateProvider::retryable).invoke(e -> LOG.debugf("Nager.Date attempt failed: %s", e))
                .onFailure(NagerDateProvider::retryable).retry()
                .withBackOff(config.backoff(), config.backoff().multipliedBy(8)).atMost(config.retries())
                .onFailure().transform(e -> e instanceof ProviderException p ? p
                        : new ProviderException("Nager.Date at " + url + " failed: " + e, e));
    }

    private static boolean retryable(Throwable e) {
        return e instanceof RetryableException || e instanceof TimeoutException
                || e instanceof io.netty.channel.ConnectTimeoutException || e instanceof java.net.ConnectException
                || e instanceof io.vertx.core.VertxException || e instanceof java.io.IOException;
    }

    static List<Holiday> parse(String url, HttpResponse<?> response, String region) {
        int status = response.statusCode();
        if (status == 429 || status >= 500) {
            throw new RetryableException("Nager.Date at " + url + " answered " + status);
        }
        if (status != 200) {
            throw new ProviderException("Nager.Date at " + url + " answered " + status);
        }
        JsonArray body;
        try {
            body = response.bodyAsJsonArray();
        } catch (RuntimeException e) {
            throw new ProviderException("Nager.Date at " + url + " answered a body that is not a JSON array", e);
        }
        List<Holiday> holidays = new ArrayList<>(body.size());
        for (Object item : body) {
            if (!(item instanceof JsonObject day)) {
                throw new ProviderException("Nager.Date at " + url + " answered a non-object item");
            }
            JsonArray counties = day.getJsonArray("counties");
            boolean national = day.getBoolean("global", counties == null) || counties == null || counties.isEmpty();
            if (!national && (region == null || !counties.contains(region))) {
                continue;
            }
            try {
                String name = day.getString("name");
                holidays.add(new Holiday(LocalDate.parse(day.getString("date")), name,
                        day.getString("localName", name), type(day.getJsonArray("types")),
                        name != null && name.toLowerCase(Locale.ROOT).contains("substitute")));
            } catch (RuntimeException e) {
                throw new ProviderException("Nager.Date at " + url + " answered an unreadable day: " + day.encode(), e);
            }
        }
        holidays.sort(Comparator.comparing(Holiday::date).thenComparing(Holiday::name));
        return holidays;
    }

    private static String type(JsonArray types) {
        if (types != null) {
            for (String candidate : TYPE_ORDER) {
                if (types.contains(candidate)) {
                    return candidate.toLowerCase(Locale.ROOT);
                }
            }
        }
        return "public";
    }

    /** A failed attempt worth repeating. */
    static final class RetryableException extends ProviderException {
        RetryableException(String message) {
            super(message);
        }
    }
}
