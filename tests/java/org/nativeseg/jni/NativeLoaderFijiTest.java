package org.nativeseg.jni;

import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Paths;

import org.junit.Test;

/**
 * Run in its own JVM with -Dij.dir=FIJI, where FIJI/lib/linux64/ holds libnativeseg_jni.so, one of
 * its dependencies and nativeseg-libs.txt naming that dependency: the library loads from Fiji's
 * folder, and the dependency is the copy in that folder, loaded by absolute path first.
 */
public class NativeLoaderFijiTest {
    @Test
    public void loadsFromFijiLibWithDependenciesFirst() throws Exception {
        NativeSeg.ensureLoaded();
        String fiji = System.getProperty("ij.dir");
        assertTrue(NativeLoader.loadedFrom(), NativeLoader.loadedFrom().contains(fiji + "/lib/linux64"));
        String dep = System.getProperty("nativeseg.test.dependency");
        String maps = new String(Files.readAllBytes(Paths.get("/proc/self/maps")), "UTF-8");
        assertTrue("the dependency was not loaded from Fiji's folder",
                   maps.contains(fiji + "/lib/linux64/" + dep));
        assertTrue(NativeSeg.schema().contains("\"max_gap\""));
    }
}
