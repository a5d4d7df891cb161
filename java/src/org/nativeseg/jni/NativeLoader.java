package org.nativeseg.jni;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads libnativeseg_jni.so (ARCHITECTURE.md §7), trying in order:
 * <ol>
 * <li>the system property {@code nativeseg.library.path}, else the environment variable
 * {@code NATIVESEG_LIBRARY_PATH} (the library file, or a folder holding it);</li>
 * <li>a CUDA build in Fiji's {@code lib/<platform>/nativeseg-cuda/}, when present and an NVIDIA GPU is visible;</li>
 * <li>Fiji's {@code lib/<platform>/};</li>
 * <li>the copy inside the plugin jar ({@code /native/<platform>/}), extracted to a temporary folder.</li>
 * </ol>
 * In a folder, a file {@code nativeseg-libs.txt} lists the libraries NativeSeg depends on
 * (one file name a line, dependencies first); each is loaded by absolute path before the JNI
 * library, so nothing depends on the system's library path. When every place fails, the
 * exception lists each place and why it failed.
 * <p>
 * A crash sentinel guards against a library that takes the JVM down while loading (a CUDA build
 * on a driver it does not fit): a marker file naming the place is written before loading and
 * removed after; a marker found at the next start means that attempt crashed, so that place is
 * skipped (and said so) until the marker is removed or the machine restarts.
 */
public final class NativeLoader {
    public static final String PROPERTY = "nativeseg.library.path";
    public static final String ENVIRONMENT = "NATIVESEG_LIBRARY_PATH";
    public static final String DEPENDENCY_LIST = "nativeseg-libs.txt";

    private static String loadedFrom;

    private NativeLoader() {
    }

    /** A place to try: a library file or a folder, or the jar's copy (path null). */
    public static final class Candidate {
        public final String description;
        public final File path;

        Candidate(String description, File path) {
            this.description = description;
            this.path = path;
        }
    }

    public static String libraryName() {
        return System.mapLibraryName("nativeseg_jni");
    }

    /** "linux64", "linux-arm64", "win64", "macos64", "macos-arm64" (Fiji's update-site names). */
    public static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase();
        String arch = System.getProperty("os.arch", "").toLowerCase();
        boolean arm = arch.contains("aarch64") || arch.contains("arm");
        if (os.contains("win")) return arm ? "win-arm64" : "win64";
        if (os.contains("mac")) return arm ? "macos-arm64" : "macos64";
        return arm ? "linux-arm64" : "linux64";
    }

    /** Where Fiji is: the ij.dir property, else the folder above the plugin jar (plugins/ or jars/). */
    public static File fijiDirectory() {
        String dir = System.getProperty("ij.dir");
        if (dir != null && !dir.isEmpty()) return new File(dir);
        try {
            File jar = new File(NativeLoader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            File parent = jar.getParentFile();
            if (jar.isFile() && parent != null && parent.getParentFile() != null) return parent.getParentFile();
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // no code source: no Fiji folder
        }
        return null;
    }

    public static boolean nvidiaGpuVisible() {
        return new File("/dev/nvidia0").exists() || new File("/proc/driver/nvidia/version").exists();
    }

    /** The places to try, in order. */
    public static List<Candidate> candidates(String property, String environment, File fiji, String platform,
                                             boolean gpu) {
        List<Candidate> c = new ArrayList<>();
        if (property != null && !property.isEmpty())
            c.add(new Candidate("system property " + PROPERTY + "=" + property, new File(property)));
        else if (environment != null && !environment.isEmpty())
            c.add(new Candidate("environment variable " + ENVIRONMENT + "=" + environment, new File(environment)));
        if (fiji != null) {
            File lib = new File(new File(fiji, "lib"), platform);
            File cuda = new File(lib, "nativeseg-cuda");
            if (gpu && cuda.isDirectory()) c.add(new Candidate("Fiji's CUDA build " + cuda, cuda));
            c.add(new Candidate("Fiji's " + lib, lib));
        }
        c.add(new Candidate("the copy inside the plugin jar (/native/" + platform + "/" + libraryName() + ")", null));
        return c;
    }

    /** Loads the library once; later calls return at once. */
    public static synchronized void load() {
        if (loadedFrom != null) return;
        List<Candidate> places = candidates(System.getProperty(PROPERTY), System.getenv(ENVIRONMENT), fijiDirectory(),
                                            platform(), nvidiaGpuVisible());
        StringBuilder tried = new StringBuilder();
        for (Candidate c : places) {
            File marker = crashMarker(c);
            if (marker.isFile()) {
                tried.append("\n - ").append(c.description).append(": skipped, Java crashed while loading it last time"
                        + " (delete ").append(marker).append(" to try again)");
                continue;
            }
            try {
                File lib = c.path == null ? extractFromJar() : c.path;
                Files.write(marker.toPath(), c.description.getBytes("UTF-8"));
                loadFrom(lib);
                marker.delete();
                loadedFrom = c.description;
                return;
            } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
                marker.delete();
                tried.append("\n - ").append(c.description).append(": ").append(e.getMessage());
            }
        }
        // A specific cause (an old glibc, a missing runtime library) comes first; then the general fix.
        String advice = Installation.adviceFor(tried.toString());
        throw new NativeSegException("NativeSeg could not load its native library " + libraryName() + ". Tried:" + tried
                + (advice == null ? "" : "\nLikely cause: " + advice + ".")
                + "\nTo fix: install NativeSeg from its update site (it puts the library in Fiji.app/lib/" + platform()
                + "/), or start Fiji with -D" + PROPERTY + "=/path/to/" + libraryName() + ".");
    }

    /** Where the library was loaded from, or null. */
    public static synchronized String loadedFrom() {
        return loadedFrom;
    }

    /** The crash sentinel of a place: a file in the temporary folder named after the place. */
    static File crashMarker(Candidate c) {
        String key = c.path == null ? "jar" : Integer.toHexString(c.path.getAbsolutePath().hashCode());
        return new File(System.getProperty("java.io.tmpdir"),
                        "nativeseg-loading-" + System.getProperty("user.name", "user") + "-" + key + ".marker");
    }

    private static void loadFrom(File path) throws IOException {
        if (!path.exists()) throw new IOException(path + " does not exist");
        File dir = path.isDirectory() ? path : path.getParentFile();
        File lib = path.isDirectory() ? new File(path, libraryName()) : path;
        if (!lib.isFile()) throw new IOException("no file " + lib);
        File list = dir == null ? null : new File(dir, DEPENDENCY_LIST);
        if (list != null && list.isFile()) {
            for (String line : Files.readAllLines(list.toPath())) {
                String name = line.trim();
                if (name.isEmpty() || name.startsWith("#")) continue;
                File dep = new File(dir, name);
                if (!dep.isFile()) throw new IOException(DEPENDENCY_LIST + " lists " + name + ", which is not in " + dir);
                System.load(dep.getAbsolutePath());
            }
        }
        System.load(lib.getAbsolutePath());
    }

    private static File extractFromJar() throws IOException {
        String base = "/native/" + platform() + "/";
        try (InputStream in = NativeLoader.class.getResourceAsStream(base + libraryName())) {
            if (in == null) throw new IOException("the jar holds no " + base + libraryName());
            Path dir = Files.createTempDirectory("nativeseg-");
            dir.toFile().deleteOnExit();
            Path lib = dir.resolve(libraryName());
            Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
            lib.toFile().deleteOnExit();
            try (InputStream deps = NativeLoader.class.getResourceAsStream(base + DEPENDENCY_LIST)) {
                if (deps != null) {
                    List<String> names = new ArrayList<>();
                    for (String line : new String(deps.readAllBytes(), "UTF-8").split("\n")) {
                        String name = line.trim();
                        if (name.isEmpty() || name.startsWith("#")) continue;
                        try (InputStream d = NativeLoader.class.getResourceAsStream(base + name)) {
                            if (d == null) throw new IOException("the jar holds no " + base + name);
                            Files.copy(d, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                            dir.resolve(name).toFile().deleteOnExit();
                        }
                        names.add(name);
                    }
                    Files.write(dir.resolve(DEPENDENCY_LIST), names);
                    dir.resolve(DEPENDENCY_LIST).toFile().deleteOnExit();
                }
            }
            return lib.toFile();
        }
    }
}
