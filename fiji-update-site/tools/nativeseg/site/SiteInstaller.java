package nativeseg.site;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Installs an update site into an ImageJ/Fiji folder the way the updater does: read db.xml.gz,
 * take the records for this platform (and the platform-free ones), fetch each stored
 * {@code path-timestamp} into update/, check its size and checksum, and only when every file is
 * good move them into place (the launcher's step). A corrupt or missing download stops the
 * install with the file named and nothing half-installed.
 */
public final class SiteInstaller {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private SiteInstaller() {}

    public static List<FileRecord> install(final File site, final File imagej, final String platform) throws IOException {
        final File index = new File(site, "db.xml.gz");
        if (!index.exists()) throw new IOException(index + ": no update-site index here (is the URL right?)");
        final File staging = new File(imagej, "update");
        final List<FileRecord> wanted = new ArrayList<>();
        for (final FileRecord r : SiteIndex.read(index)) {
            if (r.checksum == null) continue;  // obsolete file
            if (!r.platforms.isEmpty() && !r.platforms.contains(platform)) continue;
            wanted.add(r);
        }
        try {
            for (final FileRecord r : wanted) {
                final File source = new File(site, r.storedName());
                if (!source.isFile()) {
                    throw new IOException(r.filename + ": the site lists it but has no " + r.storedName() +
                                          "; the site is incomplete — ask its maintainer to upload it again");
                }
                final File target = new File(staging, r.filename);
                Files.createDirectories(target.getParentFile().toPath());
                Files.copy(source.toPath(), target.toPath(), StandardCopyOption.REPLACE_EXISTING);
                final long size = Files.size(target.toPath());
                final String sum = UpdaterChecksum.of(r.filename, target);
                if (size != r.filesize || !sum.equals(r.checksum)) {
                    throw new IOException(r.filename + ": corrupt download (checksum " + sum + ", " + size +
                                          " bytes; the site says " + r.checksum + ", " + r.filesize +
                                          " bytes); run Help > Update again");
                }
            }
        } catch (final IOException e) {
            deleteTree(staging);
            throw e;
        }
        for (final FileRecord r : wanted) {  // what the launcher does before the JVM starts
            final File from = new File(staging, r.filename), to = new File(imagej, r.filename);
            Files.createDirectories(to.getParentFile().toPath());
            Files.move(from.toPath(), to.toPath(), StandardCopyOption.REPLACE_EXISTING);
            to.setLastModified(LocalDateTime.parse(r.timestamp, STAMP).toInstant(ZoneOffset.UTC).toEpochMilli());
        }
        deleteTree(staging);
        return wanted;
    }

    private static void deleteTree(final File f) {
        final File[] children = f.listFiles();
        if (children != null) for (final File c : children) deleteTree(c);
        f.delete();
    }
}
