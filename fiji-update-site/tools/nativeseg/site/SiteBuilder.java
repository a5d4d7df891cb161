package nativeseg.site;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Turns a staging folder laid out like an ImageJ installation (plugins/, lib/linux64/, models/,
 * macros/) into an update site: each file stored as {@code path-timestamp} and db.xml.gz with one
 * record per file. When the site already has an index, files whose checksum changed keep their
 * old versions as previous-version records and files that are gone become obsolete records,
 * as an upload with the updater does.
 */
public final class SiteBuilder {
    private static final DateTimeFormatter STAMP =
        DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private SiteBuilder() {}

    public static List<FileRecord> build(final File staging, final File site) throws IOException {
        if (!staging.isDirectory()) throw new IOException(staging + ": the staging folder does not exist");
        Files.createDirectories(site.toPath());
        final File index = new File(site, "db.xml.gz");
        final Map<String, FileRecord> old = new HashMap<>();
        if (index.exists()) for (final FileRecord r : SiteIndex.read(index)) old.put(r.filename, r);

        final List<Path> files;
        try (Stream<Path> walk = Files.walk(staging.toPath())) {
            files = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        final List<FileRecord> records = new ArrayList<>();
        for (final Path path : files) {
            final String rel = staging.toPath().relativize(path).toString().replace(File.separatorChar, '/');
            final FileRecord r = new FileRecord(rel);
            r.checksum = UpdaterChecksum.of(rel, path.toFile());
            r.filesize = Files.size(path);
            r.timestamp = STAMP.format(Instant.ofEpochMilli(path.toFile().lastModified()));
            r.description = describe(rel);
            final String platform = FileRecord.platformOf(rel);
            if (platform != null) r.platforms.add(platform);
            final FileRecord before = old.remove(rel);
            if (before != null) {
                r.previous.addAll(before.previous);
                if (before.checksum != null && before.checksum.equals(r.checksum)) {
                    r.timestamp = before.timestamp;  // unchanged: keep the stored copy
                } else if (before.checksum != null) {
                    r.previous.add(new FileRecord.Previous(before.timestamp, before.checksum));
                }
            }
            final File stored = new File(site, r.storedName());
            if (!stored.exists()) {
                Files.createDirectories(stored.getParentFile().toPath());
                final Path part = new File(stored.getPath() + ".part").toPath();
                Files.deleteIfExists(part);
                try {
                    Files.createLink(part, path);  // same disk: no second copy of 500 MB of libraries
                } catch (final IOException | UnsupportedOperationException e) {
                    Files.copy(path, part, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.move(part, stored.toPath(), StandardCopyOption.ATOMIC_MOVE);
            }
            records.add(r);
        }
        for (final FileRecord gone : old.values()) {  // obsolete: no current version
            if (gone.checksum != null) gone.previous.add(new FileRecord.Previous(gone.timestamp, gone.checksum));
            gone.checksum = null;
            records.add(gone);
        }
        final File part = new File(site, "db.xml.gz.part");
        try (OutputStream out = new FileOutputStream(part)) {
            SiteIndex.write(records, out);
        }
        Files.move(part.toPath(), index.toPath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return records;
    }

    private static String describe(final String rel) {
        if (rel.startsWith("plugins/")) return "NativeSeg: deep-learning segmentation and tracking (Plugins > NativeSeg)";
        if (rel.startsWith("lib/")) return "NativeSeg native runtime: " + rel.substring(rel.lastIndexOf('/') + 1);
        if (rel.startsWith("models/")) return "NativeSeg model package file";
        if (rel.startsWith("macros/")) return "NativeSeg batch macro";
        return null;
    }
}
