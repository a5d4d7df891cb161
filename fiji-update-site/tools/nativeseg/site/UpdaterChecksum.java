package nativeseg.site;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The checksum the ImageJ updater records for a file and recomputes on the user's machine to
 * decide whether an installed file is current (net.imagej.updater.util.UpdaterUtil#getDigest).
 * A different value would make Fiji show our files as "locally modified", so the rules follow
 * the updater exactly:
 * <ul>
 * <li>ordinary files: SHA-1 of the path relative to the ImageJ folder (ASCII) followed by the
 * file's bytes;</li>
 * <li>.jar files: SHA-1 over the entries sorted by name, each entry's name then its content,
 * where comment lines of .properties files are dropped (their newline kept) and the manifest is
 * reduced to its "Main-Class:" lines compared after upper-casing the line — which never
 * matches, so in practice the manifest contributes its name only (builds that differ only in
 * manifest dates keep one checksum).</li>
 * </ul>
 */
public final class UpdaterChecksum {
    private UpdaterChecksum() {}

    /** Checksum of {@code file} installed at {@code relativePath} (forward slashes). */
    public static String of(final String relativePath, final File file) throws IOException {
        final MessageDigest sha1 = newSha1();
        if (relativePath.endsWith(".jar")) {
            try (JarFile jar = new JarFile(file)) {
                final List<JarEntry> entries = new ArrayList<>(Collections.list(jar.entries()));
                entries.sort((a, b) -> a.getName().compareTo(b.getName()));
                for (final JarEntry entry : entries) {
                    sha1.update(entry.getName().getBytes(StandardCharsets.US_ASCII));
                    byte[] content;
                    try (InputStream in = jar.getInputStream(entry)) {
                        content = in.readAllBytes();
                    }
                    if (entry.getName().endsWith(".properties")) content = dropHashedLines(content);
                    if (entry.getName().equals("META-INF/MANIFEST.MF")) content = mainClassLines(content);
                    sha1.update(content);
                }
            }
        } else {
            sha1.update(relativePath.getBytes(StandardCharsets.US_ASCII));
            sha1.update(Files.readAllBytes(file.toPath()));
        }
        return hex(sha1.digest());
    }

    /** Lines starting with '#' lose their text but keep their newline (as the updater reads them). */
    static byte[] dropHashedLines(final byte[] in) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        boolean lineStart = true;
        for (int i = 0; i < in.length; i++) {
            final byte b = in[i];
            if (lineStart && b == '#') {
                while (i < in.length && in[i] != '\n') i++;
                if (i < in.length) out.write('\n');
                continue;  // still at a line start
            }
            out.write(b);
            lineStart = b == '\n';
        }
        return out.toByteArray();
    }

    /** The updater's manifest filter in its default mode (see the class comment). */
    static byte[] mainClassLines(final byte[] manifest) {
        final StringBuilder kept = new StringBuilder();
        for (final String line : new String(manifest, StandardCharsets.UTF_8).split("\r?\n")) {
            if (line.toUpperCase().startsWith("Main-Class:")) kept.append(line).append('\n');
        }
        return kept.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static MessageDigest newSha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-1", e);
        }
    }

    static String hex(final byte[] bytes) {
        final StringBuilder s = new StringBuilder(bytes.length * 2);
        for (final byte b : bytes) s.append(String.format("%02x", b & 0xff));
        return s.toString();
    }
}
