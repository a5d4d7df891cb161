package org.nativeseg.fiji;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.fail;

import java.awt.event.KeyEvent;
import java.io.File;
import java.nio.file.Files;

import org.junit.Test;

import ij.IJ;

import org.nativeseg.jni.CancelledException;
import org.nativeseg.jni.Job;
import org.nativeseg.jni.Model;

/** Esc pressed while a command's job runs stops it, and no output is left under a final name. */
public class EscCancelsTest {
    @Test
    public void escapeStopsTheJob() throws Exception {
        final int w = 64, h = 64, t = 6;
        String spec = "{\"t\":" + t + ",\"z\":1,\"c\":1,\"y\":" + h + ",\"x\":" + w + ",\"dtype\":\"uint8\"}";
        File out = new File(Files.createTempDirectory("esc").toFile(), "out");
        final int[] reports = {0};
        JobProgress progress = new JobProgress("Segment and Track Video") {
            @Override
            public void report(String stage, long done, long total, String message) {
                if (++reports[0] == 2) IJ.setKeyDown(KeyEvent.VK_ESCAPE);  // the user presses Esc
                super.report(stage, done, total, message);
            }
        };
        try (Model m = new Model(System.getProperty("nativeseg.test.model")); Job job = new Job(progress)) {
            progress.attach(job);
            job.segmentAndTrack(m, spec, i -> {
                byte[] p = new byte[w * h];
                for (int y = 10; y < 30; y++)
                    for (int x = 10 + i; x < 30 + i; x++) p[y * w + x] = (byte) 200;
                return p;
            }, "esc", "", out.getPath(), "esc", "{}");
            fail("Esc did not stop the job");
        } catch (CancelledException e) {
            assertEquals("cancelled", e.getMessage());
        } finally {
            IJ.resetEscape();
        }
        String[] left = out.list();
        if (left != null)
            for (String f : left) assertFalse("left " + f, f.endsWith(".tif") || f.endsWith(".xml") || f.endsWith(".json"));
    }
}
