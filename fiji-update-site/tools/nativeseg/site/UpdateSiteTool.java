package nativeseg.site;

import java.io.File;
import java.util.List;

/**
 * Command line: {@code build STAGING SITE} makes or updates an update site from a staging folder;
 * {@code install SITE IMAGEJ_DIR [PLATFORM]} installs a site into an ImageJ folder (default
 * platform linux64). Exit status 1 with one line naming the problem on failure.
 */
public final class UpdateSiteTool {
    public static void main(final String[] args) {
        try {
            if (args.length == 3 && args[0].equals("build")) {
                final List<FileRecord> r = SiteBuilder.build(new File(args[1]), new File(args[2]));
                long bytes = 0;
                for (final FileRecord f : r) bytes += f.checksum == null ? 0 : f.filesize;
                System.out.printf("update site %s: %d files, %.1f MB%n", args[2], r.size(), bytes / 1e6);
            } else if ((args.length == 3 || args.length == 4) && args[0].equals("install")) {
                final String platform = args.length == 4 ? args[3] : "linux64";
                final List<FileRecord> r = SiteInstaller.install(new File(args[1]), new File(args[2]), platform);
                long bytes = 0;
                for (final FileRecord f : r) bytes += f.filesize;
                System.out.printf("installed %d files (%.1f MB) for %s into %s%n", r.size(), bytes / 1e6, platform, args[2]);
            } else {
                System.err.println("usage: UpdateSiteTool build STAGING SITE | install SITE IMAGEJ_DIR [PLATFORM]");
                System.exit(2);
            }
        } catch (final Exception e) {
            System.err.println("update-site: error: " + e.getMessage());
            System.exit(1);
        }
    }
}
