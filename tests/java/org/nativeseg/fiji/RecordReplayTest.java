package org.nativeseg.fiji;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.file.Files;

import org.junit.Test;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.plugin.frame.Recorder;

/**
 * The macro recorder writes a line for Segment and Track Video that, replayed, runs the same
 * job: every field records under the key the replay reads (the first word of its label), and
 * the values round-trip. Needs a display (xvfb-run): the Recorder is a window. The dialog
 * reads macro options here (Recorder.recordInMacros), through the same recordOption calls an
 * interactive dialog makes. -Dnativeseg.test.video and -Dnativeseg.test.model name the inputs.
 */
public class RecordReplayTest {
    static String run(String command, Command plugin, String options) {
        Thread.currentThread().setName("Run$_record_replay");  // where ImageJ keeps macro options
        Recorder.setCommand(command);
        Macro.setOptions(options);
        try {
            plugin.run("");
        } finally {
            Macro.setOptions(null);
        }
        String recorded = Recorder.getCommandOptions();
        Recorder.saveCommand();
        assertEquals("", Command.lastError());
        return recorded;
    }

    @Test
    public void recordedLineReplays() throws Exception {
        String video = System.getProperty("nativeseg.test.video"), model = System.getProperty("nativeseg.test.model");
        assertNotNull(video);
        Recorder recorder = new Recorder(false);
        Recorder.recordInMacros = true;
        ImagePlus imp = IJ.openImage(video);
        WindowManager.setTempCurrentImage(imp);
        File dir = Files.createTempDirectory("record").toFile();
        File first = new File(dir, "first"), second = new File(dir, "second");

        String recorded = run("Segment and Track Video...", new SegmentAndTrackVideo(),
                              "model=[" + model + "] out=[" + first + "] name=rec gap_fill=reference max_gap=3 "
                              + "link_distance=25 fill_holes divisions");
        assertNotNull("nothing recorded", recorded);
        for (String part : new String[] {"model=" + model, "out=" + first, "name=rec", "gap_fill=reference",
                                         "max_gap=3", "link_distance=25", "fill_holes", "divisions"})
            assertTrue("'" + part + "' not in the recorded options: " + recorded, recorded.contains(part));
        String line = recorder.getText();
        System.out.println("recorded: " + line.trim());
        assertTrue(line, line.contains("run(\"Segment and Track Video...\", \""));

        WindowManager.setTempCurrentImage(imp);
        String replayed = run("Segment and Track Video...", new SegmentAndTrackVideo(),
                              recorded.replace(first.getPath(), second.getPath()));
        assertEquals(recorded.replace(first.getPath(), second.getPath()), replayed);
        byte[] a = Files.readAllBytes(new File(first, "tracks.tif").toPath());
        byte[] b = Files.readAllBytes(new File(second, "tracks.tif").toPath());
        assertArrayEquals("the replay made different tracks", a, b);
        assertTrue(new File(second, "rec.xml").isFile());
        recorder.close();
    }
}
