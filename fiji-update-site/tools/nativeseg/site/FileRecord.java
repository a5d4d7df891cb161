package nativeseg.site;

import java.util.ArrayList;
import java.util.List;

/** One file of an update site as db.xml.gz describes it (a {@code <plugin>} element). */
public final class FileRecord {
    /** A version that was current before (kept so the updater recognises old installs). */
    public static final class Previous {
        public final String timestamp, checksum;
        public Previous(final String timestamp, final String checksum) {
            this.timestamp = timestamp;
            this.checksum = checksum;
        }
    }

    public final String filename;   // path relative to the ImageJ folder, forward slashes
    public String timestamp;        // yyyyMMddHHmmss; the site stores the file as filename-timestamp
    public String checksum;         // UpdaterChecksum.of(filename, file)
    public long filesize;
    public String description;
    public final List<String> platforms = new ArrayList<>();
    public final List<String> categories = new ArrayList<>();
    public final List<Previous> previous = new ArrayList<>();

    public FileRecord(final String filename) {
        this.filename = filename;
    }

    /** Where the site keeps this version of the file. */
    public String storedName() {
        return filename + "-" + timestamp;
    }

    /**
     * The platform the updater gives a path (Checksummer.guessPlatform): the folder after
     * lib/ or jars/ when it names a platform; null for files every platform gets.
     */
    public static String platformOf(final String path) {
        final String[] parts = path.split("/");
        if (parts.length >= 3 && (parts[0].equals("lib") || parts[0].equals("jars"))) {
            switch (parts[1]) {
                case "linux64": case "linux-arm64": case "win64": case "win-arm64":
                case "macos64": case "macos-arm64": case "linux32": case "win32": case "macosx":
                    return parts[1];
                default:
                    return null;
            }
        }
        return null;
    }
}
