package org.nativeseg.fiji;

import java.io.File;
import java.util.Map;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.GenericDialog;

import org.nativeseg.jni.Job;
import org.nativeseg.jni.Json;
import org.nativeseg.jni.NativeSegException;

/**
 * Plugins › NativeSeg › Track Label Video…: a label video made by any tool (the current image)
 * → tracks, TrackMate XML and CTC results in the output folder; the track-labelled video opens
 * as "&lt;title&gt;-tracks". Macro keys: image (the raw video's title, or "none"), out, name,
 * treat_z_as_t, and the schema's "track" settings.
 */
public class TrackLabelVideo extends Command {
    @Override
    protected String title() {
        return "Track Label Video";
    }

    @Override
    protected void execute(String arg) {
        ImagePlus labels = currentImage("a label video");
        boolean zStack = labels.getNFrames() == 1 && labels.getNSlices() > 1;
        String base = baseName(labels.getTitle());
        SchemaDialog fields = new SchemaDialog(Schema.get().forCommand("track"));
        String[] titles = imageTitles();
        GenericDialog gd = new GenericDialog("NativeSeg: " + title());
        gd.addChoice("image (raw video, for intensities and TrackMate)", titles, "none");
        addPathField(gd, "out", SegmentAndTrackVideo.defaultOutput(labels, base), true);
        gd.addStringField("name", base, 20);
        if (zStack) gd.addCheckbox("treat_z_as_t (the stack has " + labels.getNSlices() + " slices and 1 frame)", true);
        fields.addFields(gd);
        gd.addHelp(fields.helpHtml(title()));
        gd.showDialog();
        if (gd.wasCanceled()) return;
        String rawTitle = gd.getNextChoice();
        String out = gd.getNextString().trim();
        String name = gd.getNextString().trim();
        boolean zAsT = zStack && gd.getNextBoolean();
        Map<String, Object> settings = fields.readFields(gd);
        if (out.isEmpty()) throw new NativeSegException("out: no output folder given");
        if (zStack && !zAsT)
            throw new NativeSegException("'" + labels.getTitle() + "' has " + labels.getNSlices()
                    + " slices and 1 frame: tick treat_z_as_t (macro: add 'treat_z_as_t'), or fix the axes with "
                    + "Image > Properties.");
        ImagePlus raw = rawTitle.equals("none") ? null : WindowManager.getImage(rawTitle);
        if (!rawTitle.equals("none") && raw == null) throw new NativeSegException("image: no open image '" + rawTitle + "'");
        if (raw != null) ImagePlanes.checkSupported(raw);
        boolean rawZAsT = raw != null && raw.getNFrames() == 1 && raw.getNSlices() > 1;

        JobProgress progress = new JobProgress(title());
        String report;
        try (Job job = new Job(progress)) {
            progress.attach(job);
            report = job.trackLabels(ImagePlanes.spec(labels, zAsT), ImagePlanes.source(labels), labels.getTitle(),
                                     raw == null ? null : ImagePlanes.spec(raw, rawZAsT),
                                     raw == null ? null : ImagePlanes.source(raw),
                                     raw == null ? "" : nonEmpty(ImagePlanes.unchangedTiffFile(raw), raw.getTitle()),
                                     out, name, Json.write(settings));
        }
        progress.done();
        @SuppressWarnings("unchecked")
        Map<String, Object> counts = (Map<String, Object>) keepReport(report).get("counts");
        IJ.log(title() + ": " + base + ": " + count(counts, "spots") + " objects, " + count(counts, "tracks")
               + " tracks; wrote " + out);
        File tracks = new File(out, "tracks.tif");
        if (tracks.isFile()) {
            ImagePlus result = ImagePlanes.read(tracks.getPath(), base + "-tracks");
            ImagePlanes.applyLabelLut(result);
            showOutput(result);
        }
    }

    private static String nonEmpty(String a, String b) {
        return a.isEmpty() ? b : a;
    }

    static String[] imageTitles() {
        int[] ids = WindowManager.getIDList();
        int n = ids == null ? 0 : ids.length;
        String[] titles = new String[n + 1];
        titles[0] = "none";
        for (int i = 0; i < n; i++) titles[i + 1] = WindowManager.getImage(ids[i]).getTitle();
        return titles;
    }
}
