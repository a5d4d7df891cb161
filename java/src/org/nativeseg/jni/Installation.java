package org.nativeseg.jni;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What of NativeSeg is installed in a Fiji folder and what is missing, as the update site lays
 * it out (docs/update-site.md): the JNI library in lib/&lt;platform&gt;/ (part "NativeSeg"), the
 * runtime libraries listed in nativeseg-libs.txt with the glibc they need (part
 * "NativeSeg-runtime"), and an optional CUDA build in lib/&lt;platform&gt;/nativeseg-cuda/. Pure
 * file checks: it works when the native library cannot load, which is when it is needed most.
 */
public final class Installation {
    public static final String GLIBC_FILE = "nativeseg-runtime-glibc.txt";

    private Installation() {
    }

    /** One line per finding; problems start with "missing" or "too old" and say how to fix them. */
    public static List<String> report(File fiji, String platform, boolean gpu) {
        List<String> lines = new ArrayList<>();
        if (fiji == null) {
            lines.add("Fiji folder: unknown (not started from a Fiji/ImageJ folder)");
            return lines;
        }
        File lib = new File(new File(fiji, "lib"), platform);
        File jni = new File(lib, NativeLoader.libraryName());
        lines.add(jni.isFile() ? "plugin library: " + jni
                               : "missing: " + jni + " (install the NativeSeg update site; the jar's own copy is used meanwhile)");
        File list = new File(lib, NativeLoader.DEPENDENCY_LIST);
        if (!list.isFile()) {
            lines.add("missing: the NativeSeg-runtime libraries (" + list + " not found): add the NativeSeg-runtime "
                      + "update site, or provide a LibTorch of your own (docs/update-site.md)");
        } else {
            List<String> absent = missingListed(list);
            lines.add(absent.isEmpty() ? "runtime libraries: complete (" + list + ")"
                                       : "missing: runtime libraries " + absent + ": run Help > Update to repair NativeSeg-runtime");
        }
        String need = requiredGlibc(lib);
        String have = systemGlibc();
        if (need != null && have != null) {
            lines.add(older(have, need) ? "too old: this system's glibc " + have + " is older than the " + need
                                          + " NativeSeg's libraries need; use a newer Linux or build NativeSeg from source"
                                        : "glibc: " + have + " (needs " + need + ")");
        }
        File cuda = new File(lib, "nativeseg-cuda");
        if (cuda.isDirectory()) {
            lines.add("CUDA build: " + cuda + (gpu ? " (used: an NVIDIA GPU is visible)" : " (not used: no NVIDIA GPU visible)"));
        } else {
            lines.add("CUDA build: not installed" + (gpu ? " although an NVIDIA GPU is visible: see docs/update-site.md, "
                                                          + "\"With an NVIDIA GPU\", to put one in " + cuda
                                                    : " (no NVIDIA GPU visible; the CPU build is the right one)"));
        }
        return lines;
    }

    /** Advice for a load failure whose message names a missing glibc symbol version. */
    public static String adviceFor(String loadError) {
        if (loadError == null) return null;
        Matcher m = Pattern.compile("GLIBC_([0-9.]+)' not found").matcher(loadError);
        if (m.find()) {
            return "this system's C library (glibc " + (systemGlibc() == null ? "?" : systemGlibc())
                   + ") is older than NativeSeg's libraries need (" + m.group(1)
                   + "): use a newer Linux (e.g. Debian 12, Ubuntu 23.04) or build NativeSeg from source";
        }
        if (loadError.contains("cannot open shared object file")) {
            return "a library NativeSeg needs is missing: add the NativeSeg-runtime update site (Help > Update)";
        }
        return null;
    }

    static List<String> missingListed(File list) {
        List<String> absent = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(list.toPath(), StandardCharsets.UTF_8)) {
                String name = line.trim();
                if (name.isEmpty() || name.startsWith("#")) continue;
                if (!new File(list.getParentFile(), name).isFile()) absent.add(name);
            }
        } catch (IOException e) {
            absent.add(list.getName() + " unreadable: " + e.getMessage());
        }
        return absent;
    }

    static String requiredGlibc(File lib) {
        try {
            return new String(Files.readAllBytes(new File(lib, GLIBC_FILE).toPath()), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null;
        }
    }

    /** The glibc version from `ldd --version` ("ldd (Debian GLIBC 2.36-9) 2.36"), or null. */
    static String systemGlibc() {
        try {
            Process p = new ProcessBuilder("ldd", "--version").redirectErrorStream(true).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String first = r.readLine();
                p.waitFor();
                if (first == null) return null;
                Matcher m = Pattern.compile("(\\d+\\.\\d+)\\s*$").matcher(first);
                return m.find() ? m.group(1) : null;
            }
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }

    /** Dotted version comparison: is {@code a} older than {@code b}? */
    static boolean older(String a, String b) {
        String[] x = a.split("\\."), y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? Integer.parseInt(x[i]) : 0, q = i < y.length ? Integer.parseInt(y[i]) : 0;
            if (p != q) return p < q;
        }
        return false;
    }
}
