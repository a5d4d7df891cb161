package org.nativeseg.jni;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.junit.Test;

/**
 * Run in its own JVM with -Dnativeseg.library.path=/no/such/libnativeseg_jni.so and -Dij.dir set
 * to an empty folder, on the classes jar (which holds no library): the error lists every place
 * tried and says how to fix it, and asking again gives the same answer instead of a crash.
 */
public class NativeLoaderFailureTest {
    @Test
    public void skipsAPlaceThatCrashedJava() throws Exception {
        java.util.List<NativeLoader.Candidate> places = NativeLoader.candidates(
            System.getProperty(NativeLoader.PROPERTY), null, NativeLoader.fijiDirectory(), NativeLoader.platform(), false);
        java.io.File marker = NativeLoader.crashMarker(places.get(0));
        java.nio.file.Files.write(marker.toPath(), "crashed".getBytes("UTF-8"));
        try {
            NativeSeg.ensureLoaded();
            fail("loaded");
        } catch (NativeSegException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("skipped, Java crashed while loading it last time"));
            assertTrue(e.getMessage(), e.getMessage().contains(marker.getPath()));
        } finally {
            marker.delete();
        }
    }

    @Test
    public void reportsEveryPlaceTried() {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                NativeSeg.ensureLoaded();
                fail("the library loaded from a place that should not have it");
            } catch (NativeSegException e) {
                String m = e.getMessage();
                assertTrue(m, m.contains("system property nativeseg.library.path=/no/such/libnativeseg_jni.so"));
                assertTrue(m, m.contains("lib/linux64"));
                assertTrue(m, m.contains("the copy inside the plugin jar"));
                assertTrue(m, m.contains("To fix"));
            }
        }
    }
}
