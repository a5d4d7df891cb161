package org.nativeseg.jni;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import org.junit.Test;

/** What Models and Devices reports about an installation made from the update site. */
public class InstallationTest {
    private static File fiji(String name) throws IOException {
        File dir = Files.createTempDirectory(name).toFile();
        new File(dir, "lib/linux64").mkdirs();
        return dir;
    }

    private static void write(File f, String text) throws IOException {
        Files.write(f.toPath(), text.getBytes(StandardCharsets.UTF_8));
    }

    private static String find(List<String> lines, String prefix) {
        for (String l : lines) if (l.startsWith(prefix)) return l;
        return null;
    }

    @Test
    public void emptyFolderReportsBothPartsMissing() throws IOException {
        List<String> r = Installation.report(fiji("empty"), "linux64", false);
        assertTrue(r.toString(), find(r, "missing: ") != null && find(r, "missing: ").contains("libnativeseg_jni.so"));
        assertTrue(r.toString(), r.stream().anyMatch(l -> l.contains("add the NativeSeg-runtime update site")));
        assertTrue(r.toString(), r.stream().anyMatch(l -> l.startsWith("CUDA build: not installed (no NVIDIA GPU")));
    }

    @Test
    public void listedLibraryThatIsAbsentIsNamed() throws IOException {
        File f = fiji("partial");
        File lib = new File(f, "lib/linux64");
        write(new File(lib, "libnativeseg_jni.so"), "x");
        write(new File(lib, "liba.so.1"), "x");
        write(new File(lib, "nativeseg-libs.txt"), "# order\nliba.so.1\nlibb.so.2\n");
        List<String> r = Installation.report(f, "linux64", false);
        assertTrue(r.toString(), r.contains("plugin library: " + new File(lib, "libnativeseg_jni.so")));
        assertTrue(r.toString(), r.stream().anyMatch(l -> l.startsWith("missing: runtime libraries [libb.so.2]")));
    }

    @Test
    public void glibcNeedNewerThanAnySystemIsTooOld() throws IOException {
        File f = fiji("glibc");
        write(new File(f, "lib/linux64/" + Installation.GLIBC_FILE), "99.1\n");
        String system = Installation.systemGlibc();
        List<String> r = Installation.report(f, "linux64", false);
        if (system != null) assertTrue(r.toString(), r.stream().anyMatch(l -> l.startsWith("too old: this system's glibc " + system)));
    }

    @Test
    public void gpuWithoutCudaBuildSaysWhereToPutIt() throws IOException {
        File f = fiji("gpu");
        List<String> r = Installation.report(f, "linux64", true);
        String cuda = find(r, "CUDA build:");
        assertTrue(cuda, cuda.contains("although an NVIDIA GPU is visible") && cuda.contains("nativeseg-cuda"));
        new File(f, "lib/linux64/nativeseg-cuda").mkdirs();
        assertTrue(find(Installation.report(f, "linux64", true), "CUDA build:").endsWith("(used: an NVIDIA GPU is visible)"));
    }

    @Test
    public void versionsCompareByNumber() {
        assertTrue(Installation.older("2.9", "2.36"));
        assertFalse(Installation.older("2.36", "2.36"));
        assertFalse(Installation.older("2.40", "2.36"));
        assertTrue(Installation.older("2", "2.1"));
    }

    @Test
    public void loadErrorsGetAdvice() {
        assertTrue(Installation.adviceFor("/x/libtorch_cpu.so: version `GLIBC_2.38' not found (required by /x/y.so)")
                           .contains("(2.38)"));
        assertTrue(Installation.adviceFor("libc10.so.1.13: cannot open shared object file: No such file or directory")
                           .contains("NativeSeg-runtime"));
        assertNull(Installation.adviceFor("something else"));
        assertEquals(null, Installation.adviceFor(null));
    }
}
