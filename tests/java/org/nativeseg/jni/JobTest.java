package org.nativeseg.jni;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Jobs through the facade on an in-memory video: two bright 16x16 squares moving on a dim
 * background, streamed plane by plane; the tiny test model (tests/tools/make_test_model)
 * comes from -Dnativeseg.test.model.
 */
public class JobTest {
    static final int W = 64, H = 64, T = 6;
    static String model;

    @BeforeClass
    public static void findModel() {
        model = System.getProperty("nativeseg.test.model");
        assertNotNull("set -Dnativeseg.test.model", model);
    }

    static String spec(int t) {
        return "{\"t\":" + t + ",\"z\":1,\"c\":1,\"y\":" + H + ",\"x\":" + W
               + ",\"dtype\":\"uint16\",\"calibration\":{\"pixel_width\":0.25,\"unit\":\"micron\"}}";
    }

    static short[] frame(int t) {
        short[] p = new short[W * H];
        java.util.Arrays.fill(p, (short) 100);
        for (int y = 8; y < 24; y++)
            for (int x = 4 + 2 * t; x < 20 + 2 * t; x++) p[y * W + x] = 1000;
        for (int y = 40; y < 56; y++)
            for (int x = 40; x < 56; x++) p[y * W + x] = 1200;
        return p;
    }

    static final class Recorder implements ProgressListener {
        final List<String> stages = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        Runnable onReport = () -> { };

        @Override
        public void report(String stage, long done, long total, String message) {
            stages.add(stage);
            onReport.run();
        }

        @Override
        public void log(String note) {
            notes.add(note);
        }
    }

    @Test
    public void segmentImageStreamsPlanesInAndOut() throws Exception {
        File dir = Files.createTempDirectory("jobtest").toFile();
        File out = new File(dir, "labels.tif");
        int[] asked = new int[T];
        Recorder r = new Recorder();
        try (Model m = new Model(model); Job job = new Job(r)) {
            String report = job.segmentImage(m, spec(T), i -> {
                asked[i]++;
                return frame(i);
            }, "squares", out.getPath(), "{\"output_type\":\"labels\"}");
            assertEquals("labels", Json.parseObject(report).get("output_type"));
        }
        for (int i = 0; i < T; i++) assertTrue("plane " + i + " never read", asked[i] >= 1);
        assertTrue(r.stages.contains("predict"));
        assertFalse(r.notes.isEmpty());
        try (Video v = new Video(out.getPath())) {
            assertEquals(T, v.dim("t"));
            assertEquals("uint16", v.dtype());
            short[] labels = (short[]) v.plane(2);
            assertEquals(W * H, labels.length);
            assertTrue(labels[16 * W + 12 + 4] != 0);  // inside the moving square at t = 2
            assertTrue(labels[48 * W + 48] != 0);       // inside the still square
            assertEquals(0, labels[32 * W + 32]);       // background
            assertTrue(labels[16 * W + 16] != labels[48 * W + 48]);
        }
    }

    @Test
    public void segmentAndTrackWritesTheVideoJobFolder() throws Exception {
        File dir = Files.createTempDirectory("jobtest").toFile();
        File out = new File(dir, "out");
        try (Model m = new Model(model); Job job = new Job(new Recorder())) {
            String report = job.segmentAndTrack(m, spec(T), JobTest::frame, "squares", "", out.getPath(), "squares",
                                                "{\"cleanup_min_size\":50,\"object_min_size\":50}");
            @SuppressWarnings("unchecked")
            Map<String, Object> counts = (Map<String, Object>) Json.parseObject(report).get("counts");
            assertEquals(2, ((Number) counts.get("tracks")).intValue());
            assertEquals(2 * T, ((Number) counts.get("spots")).intValue());
        }
        for (String f : new String[] {"labels.tif", "tracks.tif", "squares.xml", "report.json", "squares_image.tif"})
            assertTrue(f + " missing", new File(out, f).isFile());
    }

    @Test
    public void cancelStopsWithoutFinalOutputs() throws Exception {
        File dir = Files.createTempDirectory("jobtest").toFile();
        File out = new File(dir, "out");
        Recorder r = new Recorder();
        try (Model m = new Model(model); Job job = new Job(r)) {
            r.onReport = job::cancel;  // as Esc does, at the first progress report
            job.segmentAndTrack(m, spec(T), JobTest::frame, "squares", "", out.getPath(), "squares", "{}");
            fail("the job was not cancelled");
        } catch (CancelledException e) {
            assertEquals("cancelled", e.getMessage());
        }
        String[] left = out.list();
        if (left != null)
            for (String f : left) assertFalse("left " + f, f.endsWith(".tif") || f.endsWith(".xml") || f.endsWith(".json"));
    }

    @Test
    public void badSettingsAndPlanesAreMessages() {
        try (Model m = new Model(model); Job job = new Job(null)) {
            try {
                job.segmentImage(m, spec(T), JobTest::frame, "squares", "/tmp/never.tif", "{\"gap_fill\":\"off\"}");
                fail("accepted a video setting for Segment Image");
            } catch (NativeSegException e) {
                assertEquals("gap_fill: not a setting of predict", e.getMessage());
            }
            try {
                job.segmentImage(m, spec(T), i -> new float[W * H], "squares", "/tmp/never.tif", "{}");
                fail("accepted float planes for a 16-bit image");
            } catch (NativeSegException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("uint16 pixels must arrive as [S"));
            }
            try {
                job.segmentAndTrack(m, spec(1), JobTest::frame, "one", "", "/tmp/never", "n", "{}");
                fail("accepted a single frame as a video");
            } catch (NativeSegException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("single frame"));
            }
        }
        assertFalse(new File("/tmp/never.tif").exists());
    }

    @Test
    public void aJavaExceptionInThePlaneSourcePassesThrough() {
        try (Model m = new Model(model); Job job = new Job(null)) {
            job.segmentImage(m, spec(T), i -> {
                throw new IllegalStateException("plane " + i + " unavailable");
            }, "squares", "/tmp/never.tif", "{}");
            fail("no exception");
        } catch (IllegalStateException e) {
            assertEquals("plane 0 unavailable", e.getMessage());
        }
    }
}
