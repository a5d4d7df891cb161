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
 * Plugins › NativeSeg › Segment Image…: the current image, stack, volume or hyperstack →
 * probabilities, classes, a mask or per-frame instance labels, opened as
 * "&lt;title&gt;-&lt;output_type&gt;" with the input's calibration. Macro keys: model, save (an
 * optional TIFF path) and the schema's "predict" settings (output_type, threshold, tile, ...).
 */
public class SegmentImage extends Command {
    @Override
    protected String title() {
        return "Segment Image";
    }

    @Override
    protected void execute(String arg) {
        ImagePlus imp = ij.WindowManager.getCurrentImage();
        SchemaDialog fields = new SchemaDialog(Schema.get().forCommand("predict"));
        GenericDialog gd = new GenericDialog("NativeSeg: " + title());
        addPathField(gd, "input (optional: an image file or folder instead of the current image)", "", false);
        gd.addStringField("model", SegmentAndTrackVideo.DEFAULT_MODEL, 30);
        addPathField(gd, "save (optional TIFF file)", "", false);
        fields.addFields(gd);
        gd.addHelp(fields.helpHtml(title()));
        gd.showDialog();
        if (gd.wasCanceled()) return;
        String input = gd.getNextString().trim();
        String model = resolveModel(gd.getNextString().trim());
        String save = gd.getNextString().trim();
        Map<String, Object> settings = fields.readFields(gd);
        if (input.isEmpty()) {
            if (imp == null) throw new NativeSegException("no image is open; open an image first, or give input=");
            ImagePlanes.checkSupported(imp);
        }
        String base = input.isEmpty() ? baseName(imp.getTitle()) : fileBase(input);
        String type = settings.containsKey("output_type") ? (String) settings.get("output_type") : "probability";

        File tmp = save.isEmpty() ? tempFolder() : null;
        String output = save.isEmpty() ? new File(tmp, "output.tif").getPath() : save;
        JobProgress progress = new JobProgress(title());
        try {
            try (ModelCache.Lease lease = ModelCache.acquire(model); Job job = new Job(progress)) {
                Model m = lease.model();
                progress.attach(job);
                keepReport(input.isEmpty()
                    ? job.segmentImage(m, ImagePlanes.spec(imp, false), ImagePlanes.source(imp), imp.getTitle(),
                                       output, Json.write(settings))
                    : job.segmentImageFile(m, input, output, Json.write(settings)));
            }
            progress.done();
            ImagePlus result = ImagePlanes.read(output, base + "-" + type);
            if (type.equals("labels") || type.equals("classes")) ImagePlanes.applyLabelLut(result);
            else if (type.equals("probability")) result.setDisplayRange(0, 1);
            IJ.log(title() + ": " + base + " -> " + result.getTitle()
                   + (save.isEmpty() ? "" : " (saved " + save + ")"));
            showOutput(result);
        } finally {
            if (tmp != null) deleteTree(tmp);
        }
    }
}
