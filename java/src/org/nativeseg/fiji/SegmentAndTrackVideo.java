package org.nativeseg.fiji;

import java.io.File;
import java.util.Map;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.GenericDialog;

import org.nativeseg.jni.Job;
import org.nativeseg.jni.Json;
import org.nativeseg.jni.Model;
import org.nativeseg.jni.NativeSegException;

/**
 * Plugins › NativeSeg › Segment and Track Video…: the current video → instance labels with
 * temporal gap filling, tracks, TrackMate XML (and CTC results) in the output folder; the
 * track-labelled video opens as "&lt;title&gt;-tracks". Macro keys: model, out, name,
 * treat_z_as_t, open_in_trackmate, and the schema's "segment-video" settings.
 */
public class SegmentAndTrackVideo extends Command {
    static final String DEFAULT_MODEL = "nuclei-fluo";

    @Override
    protected String title() {
        return "Segment and Track Video";
    }

    @Override
    protected void execute(String arg) {
        ImagePlus imp = ij.WindowManager.getCurrentImage();
        boolean zStack = imp != null && imp.getNFrames() == 1 && imp.getNSlices() > 1;
        String base = imp == null ? "" : baseName(imp.getTitle());
        SchemaDialog fields = new SchemaDialog(Schema.get().forCommand("segment-video"));

        GenericDialog gd = new GenericDialog("NativeSeg: " + title());
        addPathField(gd, "input (optional: a video file or folder instead of the current image)", "", false);
        gd.addStringField("model", DEFAULT_MODEL, 30);
        addPathField(gd, "out", imp == null ? "" : defaultOutput(imp, base), true);
        gd.addStringField("name (of the TrackMate file; default: the video's name)", "", 20);
        if (zStack) gd.addCheckbox("treat_z_as_t (the stack has " + imp.getNSlices() + " slices and 1 frame)", true);
        gd.addCheckbox("open_in_trackmate (when TrackMate is installed)", false);
        fields.addFields(gd);
        gd.addHelp(fields.helpHtml(title()));
        gd.showDialog();
        if (gd.wasCanceled()) return;
        String input = gd.getNextString().trim();
        String model = resolveModel(gd.getNextString().trim());
        String out = gd.getNextString().trim();
        String name = gd.getNextString().trim();
        boolean zAsT = zStack && gd.getNextBoolean();
        boolean trackmate = gd.getNextBoolean();
        Map<String, Object> settings = fields.readFields(gd);
        if (input.isEmpty()) {
            if (imp == null) throw new NativeSegException("no image is open; open a video first, or give input=");
            ImagePlanes.checkSupported(imp);
        } else {
            base = fileBase(input);
        }
        if (name.isEmpty()) name = base;
        if (out.isEmpty()) throw new NativeSegException("out: no output folder given");
        if (input.isEmpty() && zStack && !zAsT)
            throw new NativeSegException("'" + imp.getTitle() + "' has " + imp.getNSlices() + " slices and 1 frame: "
                    + "a video needs frames. Tick treat_z_as_t (macro: add 'treat_z_as_t'), or fix the axes with "
                    + "Image > Properties.");

        JobProgress progress = new JobProgress(title());
        String report;
        try (ModelCache.Lease lease = ModelCache.acquire(model); Job job = new Job(progress)) {
            Model m = lease.model();
            progress.attach(job);
            report = input.isEmpty()
                ? job.segmentAndTrack(m, ImagePlanes.spec(imp, zAsT), ImagePlanes.source(imp), imp.getTitle(),
                                      ImagePlanes.unchangedTiffFile(imp), out, name, Json.write(settings))
                : job.segmentAndTrackFile(m, input, out, name, Json.write(settings));
        }
        progress.done();
        Map<String, Object> r = keepReport(report);
        @SuppressWarnings("unchecked")
        Map<String, Object> counts = (Map<String, Object>) r.get("counts");
        IJ.log(title() + ": " + base + ": " + count(counts, "spots") + " objects, " + count(counts, "tracks")
               + " tracks; wrote " + out);
        File tracks = new File(out, "tracks.tif");
        File labels = new File(out, "labels.tif");
        File shown = tracks.isFile() ? tracks : labels;
        if (shown.isFile()) {
            ImagePlus result = ImagePlanes.read(shown.getPath(), base + (shown == tracks ? "-tracks" : "-labels"));
            ImagePlanes.applyLabelLut(result);
            showOutput(result);
        }
        File xml = new File(out, name + ".xml");
        if (trackmate) openInTrackMate(xml);
    }

    static String defaultOutput(ImagePlus imp, String base) {
        String file = ImagePlanes.unchangedTiffFile(imp);
        File dir = file.isEmpty() ? new File(IJ.getDirectory("temp")) : new File(file).getParentFile();
        return new File(dir, base + "-nativeseg").getPath();
    }

    static void openInTrackMate(File xml) {
        if (!xml.isFile()) {
            IJ.log("NativeSeg: no TrackMate file was written (add 'trackmate' to exports)");
            return;
        }
        try {
            Class.forName("fiji.plugin.trackmate.LoadTrackMatePlugIn");
        } catch (ClassNotFoundException e) {
            IJ.log("NativeSeg: TrackMate is not installed; open " + xml + " in Fiji with Plugins > Tracking > "
                   + "Load a TrackMate file");
            return;
        }
        if (JobProgress.batch()) return;  // TrackMate's own window needs a display
        IJ.runPlugIn("fiji.plugin.trackmate.LoadTrackMatePlugIn", xml.getPath());
    }
}
