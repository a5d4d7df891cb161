package org.nativeseg.jni;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.junit.Test;

/** Every kind of C++ exception arrives as a Java exception, and the JVM carries on. */
public class BoundaryTest {
    private static String raise(int kind) {
        try {
            NativeSeg.raiseNativeErrorForTest(kind);
            fail("no exception for kind " + kind);
            return null;
        } catch (NativeSegException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    @Test
    public void cppExceptionsBecomeJavaExceptions() {
        assertEquals("NativeSegException: a nativeseg::Error from C++", raise(0));
        assertEquals("NativeSegException: a std::runtime_error from C++", raise(1));
        assertEquals("CancelledException: cancelled", raise(2));
        assertEquals("NativeSegException: unknown native error", raise(3));
        // Still working after all that.
        assertTrue(NativeSeg.schema().contains("\"gap_fill\""));
    }

    @Test
    public void missingModelIsAMessage() {
        try (Model m = new Model("/no/such/model")) {
            fail("loaded a model that does not exist");
        } catch (NativeSegException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("/no/such/model"));
        }
    }

    @Test
    public void missingFileIsAMessage() {
        try (Video v = new Video("/no/such/video.tif")) {
            fail("opened a file that does not exist");
        } catch (NativeSegException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("/no/such/video.tif"));
        }
    }
}
