package org.nativeseg.fiji;

import java.awt.Dialog;
import java.awt.Graphics2D;
import java.awt.Window;
import java.awt.event.WindowEvent;
import java.awt.image.BufferedImage;
import java.io.File;

import javax.imageio.ImageIO;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;

/**
 * Saves a PNG of every NativeSeg dialog for the user guide (docs/images/), under a virtual display:
 *   xvfb-run -a -s "-screen 0 1600x3000x24" java -cp ... org.nativeseg.fiji.DialogScreenshots OUT_DIR VIDEO
 * Each dialog is opened as a user would open it (no macro options), drawn into an image, and
 * closed as if its window were closed (cancel), so no command runs.
 */
public final class DialogScreenshots {
    public static void main(String[] args) throws Exception {
        File out = new File(args[0]);
        out.mkdirs();
        ImagePlus video = IJ.openImage(args[1]);
        video.show();
        WindowManager.setTempCurrentImage(video);
        Object[][] commands = {
            {"segment-image", new SegmentImage()}, {"segment-and-track-video", new SegmentAndTrackVideo()},
            {"track-label-video", new TrackLabelVideo()}, {"merge-tracks", new MergeTracks()},
            {"train-model", new TrainModel()}, {"evaluate", new Evaluate()},
            {"models-and-devices", new ModelsAndDevices()}};
        for (Object[] c : commands) {
            String name = (String) c[0];
            Thread shooter = new Thread(() -> shoot(new File(out, "dialog-" + name + ".png")));
            shooter.start();
            WindowManager.setTempCurrentImage(video);
            ((Command) c[1]).run("");
            shooter.join();
        }
        System.out.println("SCREENSHOTS OK");
        System.exit(0);
    }

    private static void shoot(File png) {
        try {
            for (int i = 0; i < 200; i++) {
                for (Window w : Window.getWindows()) {
                    if (w instanceof Dialog && w.isShowing() && ((Dialog) w).getTitle().startsWith("NativeSeg: ")) {
                        Thread.sleep(500);  // let it lay out and paint
                        BufferedImage img = new BufferedImage(w.getWidth(), w.getHeight(), BufferedImage.TYPE_INT_RGB);
                        Graphics2D g = img.createGraphics();
                        w.printAll(g);
                        g.dispose();
                        ImageIO.write(img, "png", png);
                        System.out.println("saved " + png + " (" + w.getWidth() + "x" + w.getHeight() + ")");
                        w.dispatchEvent(new WindowEvent(w, WindowEvent.WINDOW_CLOSING));
                        return;
                    }
                }
                Thread.sleep(100);
            }
            System.out.println("no dialog for " + png);
        } catch (Exception e) {
            System.out.println("screenshot failed: " + e);
        }
    }
}
