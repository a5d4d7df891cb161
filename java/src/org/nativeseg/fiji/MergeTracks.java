package org.nativeseg.fiji;

import java.io.File;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.GenericDialog;

import org.nativeseg.jni.Job;
import org.nativeseg.jni.NativeSegException;

/**
 * Plugins › NativeSeg › Merge Tracks with Segmentation…: a track label video (ours, or
 * TrackMate's label export) gives identities to the objects of the original segmentation;
 * the result opens as "&lt;tracks title&gt;-merged". Macro keys: tracks, segmentation (image titles).
 */
public class MergeTracks extends Command {
    @Override
    protected String title() {
        return "Merge Tracks with Segmentation";
    }

    @Override
    protected void execute(String arg) {
        currentImage("a track label video and a segmentation");
        String[] titles = TrackLabelVideo.imageTitles();
        String[] images = java.util.Arrays.copyOfRange(titles, 1, titles.length);
        GenericDialog gd = new GenericDialog("NativeSeg: " + title());
        gd.addChoice("tracks (track label video)", images, images[0]);
        gd.addChoice("segmentation (masks or labels)", images, images[images.length > 1 ? 1 : 0]);
        gd.showDialog();
        if (gd.wasCanceled()) return;
        ImagePlus tracks = image(gd.getNextChoice(), "tracks");
        ImagePlus seg = image(gd.getNextChoice(), "segmentation");

        File tmp = tempFolder();
        String output = new File(tmp, "merged.tif").getPath();
        JobProgress progress = new JobProgress(title());
        try {
            try (Job job = new Job(progress)) {
                progress.attach(job);
                job.mergeTracks(ImagePlanes.spec(tracks, zOnly(tracks)), ImagePlanes.source(tracks), tracks.getTitle(),
                                ImagePlanes.spec(seg, zOnly(seg)), ImagePlanes.source(seg), seg.getTitle(), output);
            }
            progress.done();
            ImagePlus result = ImagePlanes.read(output, baseName(tracks.getTitle()) + "-merged");
            ImagePlanes.applyLabelLut(result);
            IJ.log(title() + ": " + tracks.getTitle() + " + " + seg.getTitle() + " -> " + result.getTitle());
            showOutput(result);
        } finally {
            deleteTree(tmp);
        }
    }

    private static boolean zOnly(ImagePlus imp) {
        return imp.getNFrames() == 1 && imp.getNSlices() > 1;
    }

    private static ImagePlus image(String title, String key) {
        ImagePlus imp = WindowManager.getImage(title);
        if (imp == null) throw new NativeSegException(key + ": no open image '" + title + "'");
        ImagePlanes.checkSupported(imp);
        return imp;
    }
}
