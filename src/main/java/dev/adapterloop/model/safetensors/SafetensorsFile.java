package dev.adapterloop.model.safetensors;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Reads and writes the safetensors format: an unsigned 64-bit little-endian header length, a JSON header, then the
 * tensors' bytes back to back. Reading validates everything a hostile file could lie about before trusting it;
 * writing produces what the reference implementation produces, minus its dtype-alignment ordering.
 */
public final class SafetensorsFile {

    private static final int LENGTH_PREFIX = Long.BYTES;

    private SafetensorsFile() {}

    /**
     * All tensors of {@code file}, in header order. The file is read fully (our models are ~100 MB, not gigabytes)
     * into one direct buffer that the tensors slice: an engine can use them in place, and loading a model never
     * passes its weights through the Java heap.
     */
    public static Map<String, Tensor> read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Layout layout = readLayout(channel, file.toString());
            long dataLength = channel.size() - layout.dataStart();
            if (dataLength > Integer.MAX_VALUE - 8) {
                throw new SafetensorsFormatException(file + ": data section of " + dataLength
                        + " bytes is over the 2 GiB this reader holds in memory");
            }
            ByteBuffer data = ByteBuffer.allocateDirect((int) dataLength);
            readFully(channel, data, layout.dataStart(), file.toString());
            return tensors(layout.header(), data.flip());
        }
    }

    /** All tensors of a safetensors file held in memory, in header order; the tensors share {@code bytes}. */
    public static Map<String, Tensor> read(byte[] bytes) throws SafetensorsFormatException {
        Layout layout = parseLayout(bytes);
        int dataStart = (int) layout.dataStart();
        return tensors(layout.header(), ByteBuffer.wrap(bytes).slice(dataStart, bytes.length - dataStart));
    }

    /** The {@code __metadata__} of {@code file} (empty when absent), reading only its header. */
    public static Map<String, String> metadata(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return readLayout(channel, file.toString()).header().metadata();
        }
    }

    /** The {@code __metadata__} of a safetensors file held in memory (empty when absent). */
    public static Map<String, String> metadata(byte[] bytes) throws SafetensorsFormatException {
        return parseLayout(bytes).header().metadata();
    }

    /**
     * Writes {@code tensors} (sorted by name) and {@code metadata} to {@code file} atomically: readers see the old
     * file or the complete new one, never a torn write, because the bytes go to a temporary sibling that is then
     * renamed over {@code file}.
     */
    public static void write(Path file, Collection<Tensor> tensors, Map<String, String> metadata) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        // Not Files.createTempFile: its 0600 permissions would survive the rename; CREATE_NEW honours the umask.
        Path temp = dir.resolve(absolute.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                writeTo(channel, tensors, metadata);
                channel.force(true);
            }
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The bytes {@link #write} would write. */
    public static byte[] toBytes(Collection<Tensor> tensors, Map<String, String> metadata) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeTo(Channels.newChannel(out), tensors, metadata);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    private static void writeTo(WritableByteChannel channel, Collection<Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        Objects.requireNonNull(metadata, "metadata");
        List<Tensor> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparing(Tensor::name));
        Set<String> names = new HashSet<>();
        for (Tensor tensor : sorted) {
            if (!names.add(tensor.name())) {
                throw new IllegalArgumentException("duplicate tensor name '" + tensor.name() + "'");
            }
        }
        byte[] header = SafetensorsHeader.serialize(sorted, metadata);
        ByteBuffer prefix = ByteBuffer.allocate(LENGTH_PREFIX).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
        writeFully(channel, prefix.flip());
        writeFully(channel, ByteBuffer.wrap(header));
        for (Tensor tensor : sorted) {
            writeFully(channel, tensor.data());
        }
    }

    /** A validated header and where the data section starts. */
    private record Layout(SafetensorsHeader header, long dataStart) {}

    private static Layout readLayout(FileChannel channel, String source) throws IOException {
        long size = channel.size();
        if (size < LENGTH_PREFIX) {
            throw tooShort(size, source);
        }
        ByteBuffer prefix = ByteBuffer.allocate(LENGTH_PREFIX);
        readFully(channel, prefix, 0, source);
        long headerLength = checkHeaderLength(prefix.order(ByteOrder.LITTLE_ENDIAN).getLong(0), size, source);
        ByteBuffer json = ByteBuffer.allocate((int) headerLength);
        readFully(channel, json, LENGTH_PREFIX, source);
        long dataStart = LENGTH_PREFIX + headerLength;
        return new Layout(SafetensorsHeader.parse(json.array(), size - dataStart, source), dataStart);
    }

    private static Layout parseLayout(byte[] bytes) throws SafetensorsFormatException {
        String source = "safetensors bytes";
        if (bytes.length < LENGTH_PREFIX) {
            throw tooShort(bytes.length, source);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = checkHeaderLength(buffer.getLong(0), bytes.length, source);
        byte[] json = new byte[(int) headerLength];
        buffer.get(LENGTH_PREFIX, json);
        long dataStart = LENGTH_PREFIX + headerLength;
        return new Layout(SafetensorsHeader.parse(json, bytes.length - dataStart, source), dataStart);
    }

    private static long checkHeaderLength(long headerLength, long size, String source)
            throws SafetensorsFormatException {
        // The prefix is unsigned: a value over 2^63 reads as negative here and is, like the reference, "too large".
        if (headerLength < 0 || headerLength > SafetensorsHeader.MAX_HEADER_BYTES) {
            throw new SafetensorsFormatException(source + ": header length " + Long.toUnsignedString(headerLength)
                    + " is over the " + SafetensorsHeader.MAX_HEADER_BYTES + "-byte limit");
        }
        if (headerLength > size - LENGTH_PREFIX) {
            throw new SafetensorsFormatException(source + ": header length " + headerLength + " is larger than the "
                    + (size - LENGTH_PREFIX) + " bytes after the length prefix");
        }
        return headerLength;
    }

    private static SafetensorsFormatException tooShort(long size, String source) {
        return new SafetensorsFormatException(source + ": " + size
                + " bytes is shorter than the 8-byte header length prefix");
    }

    private static Map<String, Tensor> tensors(SafetensorsHeader header, ByteBuffer data) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (SafetensorsHeader.Entry entry : header.entries()) {
            ByteBuffer bytes = data.slice((int) entry.begin(), (int) (entry.end() - entry.begin()));
            tensors.put(entry.name(), new Tensor(entry.name(), entry.dtype(), entry.shape(), bytes));
        }
        return tensors;
    }

    private static void readFully(FileChannel channel, ByteBuffer into, long position, String source)
            throws IOException {
        long at = position;
        while (into.hasRemaining()) {
            int n = channel.read(into, at);
            if (n < 0) {
                throw new SafetensorsFormatException(source + ": file ended at byte " + at + " while reading");
            }
            at += n;
        }
    }

    private static void writeFully(WritableByteChannel channel, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }
}
