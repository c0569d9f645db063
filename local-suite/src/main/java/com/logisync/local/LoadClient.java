package com.logisync.local;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The benchmark's HTTP/1.1 client: one keep-alive connection per thread, a POST written with one system call
 * (its head made once per URL and token), the answer read by its {@code Content-Length} (or its chunks).
 *
 * <p>The load generator shares the two cores with what it measures. {@code HttpURLConnection} made a
 * connection object, a header map, a lookup in the JDK's keep-alive cache and a stream wrapper per request,
 * and read each answer into a {@code String}: 127-148 µs of the generator's CPU per single report in the
 * closed loop and 252 µs at half the maximum (twenty-sixth session, docs/benchmarks.md), a third of what the
 * service and its infrastructure spent on the report. Only the status and, where asked, the body are kept.
 */
final class LoadClient {

    /** A response: its status and, where asked for, its body (empty otherwise). */
    record Answer(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final String host;
    private final int port;
    private final byte[] head;
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    /** A client for POSTs of JSON to {@code url}, each carrying {@code authorization} (a header value, or null). */
    LoadClient(String url, String authorization) {
        URI uri = URI.create(url);
        this.host = uri.getHost();
        this.port = uri.getPort() < 0 ? 80 : uri.getPort();
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        this.head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nContent-Type: application/json\r\nAccept: application/json\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Content-Length: ").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * POSTs {@code body}; answers the status and, if {@code keepBody}, the body. A connection the server
     * closed before this request is opened again once; any other failure is thrown (the connection dropped).
     */
    Answer post(byte[] body, boolean keepBody) throws IOException {
        boolean reused = socket != null;
        try {
            return exchange(body, keepBody);
        } catch (IOException e) {
            close();
            if (!reused) {
                throw e;
            }
            // The server may have closed an idle keep-alive connection: one more try on a new one.
            return exchange(body, keepBody);
        }
    }

    /** Opens the connection now if it is not open, so that the first request does not wait for it. */
    void connect() throws IOException {
        if (socket == null) {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), 5000);
            s.setSoTimeout(60000);
            socket = s;
            out = s.getOutputStream();
            in = new BufferedInputStream(s.getInputStream(), 16384);
        }
    }

    private Answer exchange(byte[] body, boolean keepBody) throws IOException {
        connect();
        byte[] length = (body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[head.length + length.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(length, 0, request, head.length, length.length);
        System.arraycopy(body, 0, request, head.length + length.length, body.length);
        out.write(request);
        out.flush();
        return read(in, keepBody, this);
    }

    /** Reads one response from {@code in}; closes {@code owner}'s connection where the server says it will. */
    static Answer read(InputStream in, boolean keepBody, LoadClient owner) throws IOException {
        String status = line(in);
        if (status == null) {
            throw new IOException("connection closed before the response");
        }
        if (!status.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long contentLength = -1;
        boolean chunked = false;
        boolean closing = status.startsWith("HTTP/1.0");
        for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim();
            String value = header.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("content-length")) {
                contentLength = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("transfer-encoding")) {
                chunked = value.toLowerCase(java.util.Locale.ROOT).contains("chunked");
            } else if (name.equalsIgnoreCase("connection")) {
                closing = value.equalsIgnoreCase("close");
            }
        }
        ByteArrayOutputStream kept = keepBody ? new ByteArrayOutputStream() : null;
        if (code == 204 || code == 304 || code < 200) {
            // No body, whatever the headers say.
        } else if (chunked) {
            for (long size = chunkSize(in); size > 0; size = chunkSize(in)) {
                copy(in, size, kept);
                line(in);
            }
            // Trailers, up to the empty line.
            for (String trailer = line(in); trailer != null && !trailer.isEmpty(); trailer = line(in)) {
                // ignored
            }
        } else if (contentLength >= 0) {
            copy(in, contentLength, kept);
        } else {
            // Neither: the body runs to the end of the connection.
            copy(in, Long.MAX_VALUE, kept);
            closing = true;
        }
        if (closing && owner != null) {
            owner.close();
        }
        return new Answer(code, kept == null ? new byte[0] : kept.toByteArray());
    }

    private static long chunkSize(InputStream in) throws IOException {
        String line = line(in);
        if (line == null) {
            throw new IOException("connection closed inside a chunked body");
        }
        int semicolon = line.indexOf(';');
        return Long.parseLong((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
    }

    private static void copy(InputStream in, long count, ByteArrayOutputStream kept) throws IOException {
        byte[] buffer = new byte[8192];
        long left = count;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                if (count == Long.MAX_VALUE) {
                    return;
                }
                throw new IOException("connection closed inside the body");
            }
            if (kept != null) {
                kept.write(buffer, 0, n);
            }
            left -= n;
        }
    }

    /** A line without its CRLF, or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder(64);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int n = b.length();
                return n > 0 && b.charAt(n - 1) == '\r' ? b.substring(0, n - 1) : b.toString();
            }
            b.append((char) c);
        }
        return b.length() == 0 ? null : b.toString();
    }

    void close() {
        Socket s = socket;
        socket = null;
        out = null;
        in = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
