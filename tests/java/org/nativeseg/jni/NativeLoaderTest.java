package org.nativeseg.jni;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.util.List;

import org.junit.Test;

/** The order of the places the loader tries (ARCHITECTURE.md §7). */
public class NativeLoaderTest {
    @Test
    public void propertyThenFijiThenJar() throws Exception {
        File fiji = Files.createTempDirectory("fiji").toFile();
        List<NativeLoader.Candidate> c = NativeLoader.candidates("/opt/ns/libnativeseg_jni.so", "/env/lib", fiji,
                                                                 "linux64", false);
        assertEquals(3, c.size());
        assertEquals(new File("/opt/ns/libnativeseg_jni.so"), c.get(0).path);
        assertTrue(c.get(0).description.contains(NativeLoader.PROPERTY));
        assertEquals(new File(new File(fiji, "lib"), "linux64"), c.get(1).path);
        assertNull(c.get(2).path);  // the jar's copy
    }

    @Test
    public void environmentWhenNoProperty() {
        List<NativeLoader.Candidate> c = NativeLoader.candidates(null, "/env/lib", null, "linux64", false);
        assertEquals(2, c.size());
        assertTrue(c.get(0).description.contains(NativeLoader.ENVIRONMENT));
        assertEquals(new File("/env/lib"), c.get(0).path);
    }

    @Test
    public void cudaBuildFirstOnlyWithAGpu() throws Exception {
        File fiji = Files.createTempDirectory("fiji").toFile();
        File cuda = new File(fiji, "lib/linux64/nativeseg-cuda");
        assertTrue(cuda.mkdirs());
        List<NativeLoader.Candidate> withGpu = NativeLoader.candidates(null, null, fiji, "linux64", true);
        assertEquals(cuda, withGpu.get(0).path);
        assertEquals(new File(fiji, "lib/linux64"), withGpu.get(1).path);
        List<NativeLoader.Candidate> noGpu = NativeLoader.candidates(null, null, fiji, "linux64", false);
        assertEquals(new File(fiji, "lib/linux64"), noGpu.get(0).path);
    }
}
