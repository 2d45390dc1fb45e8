package dev.footfall.holiday.service;

import dev.footfall.holiday.model.Holiday;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** SHA-256 content hashes: of one year's holidays, of a version (every year it answers with), of rendered answers. */
public final class ContentHash {

    private ContentHash() {
    }

    /** Order-independent: the holidays are hashed sorted by date, then name. */
    public static String ofYear(List<Holiday> holidays) {
        StringBuilder text = new StringBuilder();
        holidays.stream().sorted(java.util.Comparator.comparing(Holiday::date).thenComparing(Holiday::name))
                .forEach(h -> text.append(h.date()).append('|').append(h.name()).append('|').append(h.localName())
                        .append('|').append(h.type()).append('|').append(h.substitute()).append('\n'));
        return sha256(text.toString());
    }

    public static String ofVersion(Map<Integer, String> yearHashes) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(yearHashes).forEach((year, hash) -> text.append(year).append(':').append(hash).append('\n'));
        return sha256(text.toString());
    }

    /** A strong entity tag of rendered bytes: the version, and the first 96 bits of their SHA-256. */
    public static String etag(int version, byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"v" + version + "-" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
