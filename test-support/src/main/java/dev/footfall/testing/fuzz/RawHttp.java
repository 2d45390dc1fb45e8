package dev.footfall.testing.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, one request per connection, bytes exactly as given. REST Assured and the JDK client
 * encode paths, refuse malformed percent-encoding and control characters in headers; a fuzzer needs all of those on
 * the wire as they are.
 */
public final class RawHttp {

    /** Stop reading an answer's body here: the checks need its start, and a stream could be long. */
    static final int MAX_BODY = 1 << 20;

    private final String host;
    private final int port;
    private final int timeoutMillis;

    public RawHttp(String host, int port, int timeoutMillis) {
        this.host = host;
        this.port = port;
        this.timeoutMillis = timeoutMillis;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** A header as bytes: values may hold what no client library lets through. */
    public record Header(String name, byte[] value) {
        public static Header of(String name, String value) {
            return new Header(name, value.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /** An answer; {@code status} 0 when the server closed the connection without one. */
    public record Response(int status, Map<String, String> headers, byte[] body, String error) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * Sends {@code method target HTTP/1.1} with Host, the headers, Content-Length when there is a body, and
     * Connection: close; {@code target} goes out as it is (already percent-encoded, or deliberately not).
     */
    public Response send(String method, String target, List<Header> headers, byte[] body) {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        write(request, method + " " + target + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n");
        for (Header h : headers) {
            write(request, h.name() + ": ");
            request.writeBytes(h.value());
            write(request, "\r\n");
        }
        if (body != null) {
            write(request, "Content-Length: " + body.length + "\r\n");
        }
        write(request, "Connection: close\r\n\r\n");
        if (body != null) {
            request.writeBytes(body);
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.toByteArray());
                out.flush();
            } catch (IOException e) {
                // The server may answer (413, 400) and close before it has read the whole body: read what it said.
            }
            return read(socket.getInputStream(), method.equals("HEAD"));
        } catch (IOException e) {
            return new Response(0, Map.of(), new byte[0], e.toString());
        }
    }

    private static Response read(InputStream in, boolean head) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            return new Response(0, Map.of(), new byte[0], "connection closed without an answer");
        }
        String[] parts = statusLine.split(" ", 3);
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (RuntimeException e) {
            return new Response(0, Map.of(), new byte[0], "not an HTTP status line: " + statusLine);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        byte[] body;
        if (head || status == 204 || status == 304 || status < 200) {
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = chunked(in);
        } else if (headers.containsKey("content-length")) {
            body = in.readNBytes((int) Math.min(MAX_BODY, Long.parseLong(headers.get("content-length"))));
        } else {
            body = in.readNBytes(MAX_BODY);
        }
        return new Response(status, headers, body, null);
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (body.size() < MAX_BODY) {
            String size = line(in);
            if (size == null) {
                break;
            }
            int semicolon = size.indexOf(';');
            int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (n == 0) {
                break;
            }
            body.writeBytes(in.readNBytes(n));
            line(in);
        }
        return body.toByteArray();
    }

    /** One CRLF-terminated line as ISO-8859-1, without the CRLF; null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) b);
            if (line.length() > 65536) {
                throw new IOException("answer line over 64 KB");
            }
        }
        return line.isEmpty() ? null : line.toString();
    }

    private static void write(ByteArrayOutputStream out, String ascii) {
        out.writeBytes(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The request as a shell line (curl), bytes a shell cannot carry as $'\xHH', long runs shortened. */
    public static String curl(String baseUrl, String method, String target, List<Header> headers, byte[] body) {
        List<String> words = new ArrayList<>();
        words.add("curl -sS -i --path-as-is -X " + method);
        for (Header h : headers) {
            words.add("-H " + quote((h.name() + ": ").getBytes(StandardCharsets.ISO_8859_1), h.value()));
        }
        if (body != null) {
            words.add("--data-binary " + quote(new byte[0], body));
        }
        words.add(quote(new byte[0], (baseUrl + target).getBytes(StandardCharsets.ISO_8859_1)));
        return String.join(" ", words);
    }

    private static String quote(byte[] prefix, byte[] value) {
        byte[] all = new byte[prefix.length + value.length];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        System.arraycopy(value, 0, all, prefix.length, value.length);
        StringBuilder s = new StringBuilder("$'");
        int i = 0;
        while (i < all.length) {
            int run = 1;
            while (i + run < all.length && all[i + run] == all[i]) {
                run++;
            }
            if (run > 32) {
                s.append("'\"$(printf '%.0s").append(escape(all[i])).append("' {1..").append(run).append("})\"$'");
                i += run;
                continue;
            }
            s.append(escape(all[i]));
            i++;
        }
        if (s.length() > 4000) {
            return s.substring(0, 4000) + "…'";
        }
        return s.append("'").toString();
    }

    private static String escape(byte b) {
        int c = b & 0xFF;
        if (c == '\'' || c == '\\') {
            return "\\" + (char) c;
        }
        return c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\x%02x", c);
    }
}
