package org.nativeseg.fiji;

import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;

import org.junit.Test;

import org.nativeseg.jni.Model;
import org.nativeseg.jni.NativeSegException;

/** The model cache keeps one model across commands and replaces it when the folder changes. */
public class ModelCacheTest {
    @Test
    public void keepsReplacesAndClosesWhenUnused() {
        String dir = System.getProperty("nativeseg.test.model");
        Model first;
        try (ModelCache.Lease a = ModelCache.acquire(dir); ModelCache.Lease b = ModelCache.acquire(dir)) {
            first = a.model();
            assertSame("a second command reloaded the model", first, b.model());
        }
        File rdf = new File(dir, "rdf.yaml");
        assertTrue(rdf.setLastModified(System.currentTimeMillis() + 5000));  // retrained in place
        try (ModelCache.Lease c = ModelCache.acquire(dir)) {
            assertNotSame("a changed folder was not reloaded", first, c.model());
            c.model().name();
        }
        try {
            first.name();
            fail("the replaced model was not closed");
        } catch (NativeSegException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("closed"));
        }
    }
}
