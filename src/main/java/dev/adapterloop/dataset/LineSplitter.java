package dev.adapterloop.dataset;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a stream into lines of raw bytes on {@code \n}, dropping a trailing {@code \r}. Bytes rather than a
 * {@code Reader}: invalid UTF-8 then surfaces as a JSON error on its own line instead of failing the whole stream.
 */
final class LineSplitter {
    /** Returned (by identity) for a line longer than the limit: its bytes were skipped, never held. */
    static final byte[] TOO_LONG = new byte[0];

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[64 * 1024];
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private int position;
    private int limit;

    LineSplitter(InputStream in) {
        this(in, Integer.MAX_VALUE - 16);
    }

    LineSplitter(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * The next line without its terminator, {@link #TOO_LONG} for a line of more than the limit's bytes (a '\r'
     * before its '\n' included), or {@code null} at the end of the stream.
     */
    byte[] next() throws IOException {
        line.reset();
        boolean tooLong = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (tooLong) {
                        return TOO_LONG;
                    }
                    return line.size() > 0 ? withoutCarriageReturn(line.toByteArray()) : null;
                }
            }
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            if (!tooLong && line.size() + (position - start) > maxLineBytes) {
                tooLong = true; // the rest of the line is only scanned for its end, so it costs no memory
                line.reset();
            }
            if (!tooLong) {
                line.write(buffer, start, position - start);
            }
            if (position < limit) {
                position++; // the '\n'
                return tooLong ? TOO_LONG : withoutCarriageReturn(line.toByteArray());
            }
        }
    }

    private static byte[] withoutCarriageReturn(byte[] bytes) {
        int n = bytes.length;
        return n > 0 && bytes[n - 1] == '\r' ? Arrays.copyOf(bytes, n - 1) : bytes;
    }
}
